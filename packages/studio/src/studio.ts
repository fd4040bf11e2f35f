/**
 * `createStudio` and `startStudio`: the server's API (threads, runs, SSE with replay, input, cancel,
 * `/ws/runs/{runId}`, `/openapi.json`) over the studio's gallery, plus the studio's own endpoints
 * (`/studio/api`) and its web app (`/`). Binds 127.0.0.1 unless told otherwise.
 */
import type { LoadComponentOptions, RunStore } from "@autogen-ts/core";
import { createServerApp, type ServerApp } from "@autogen-ts/server";
import { type RunningServer, serve } from "@autogen-ts/server/node";
import { GalleryStore } from "./gallery/store.js";
import { studioApi } from "./http/api.js";
import { webApp } from "./http/static.js";
import { teamDirectory } from "./teams.js";

/** Options of {@link createStudio} and {@link startStudio}. */
export interface StudioOptions {
  /** Where threads, runs, events and checkpoints live. */
  readonly store: RunStore;
  /** Where the gallery of imported and built components is kept (`gallery.json`); none: not kept. */
  readonly appDir?: string;
  /** How components load for runs and tests: `allowCode`, a `transform` for `--base-url`, settings. */
  readonly loadOptions?: LoadComponentOptions;
  /** Preload AutoGen Studio's default gallery (default true). */
  readonly preloadGallery?: boolean;
  /** Where the built web app is (default: this package's `dist/web`). */
  readonly webRoot?: string;
  /** Where unexpected errors are reported (never given secrets). */
  readonly onError?: (error: unknown) => void;
}

async function parts(options: StudioOptions): Promise<{
  gallery: GalleryStore;
  build: (server: () => ServerApp) => Parameters<typeof createServerApp>[0];
}> {
  const gallery = await GalleryStore.open({
    ...(options.appDir !== undefined ? { appDir: options.appDir } : {}),
    ...(options.preloadGallery !== undefined ? { preload: options.preloadGallery } : {}),
  });
  const loadOptions = options.loadOptions ?? {};
  const teams = teamDirectory(gallery, loadOptions);
  return {
    gallery,
    build: (server) => {
      return {
        teams,
        store: options.store,
        mounts: [
          { path: "/studio/api", app: studioApi({ gallery, server, loadOptions }) },
          { path: "/", app: webApp(options.webRoot) },
        ],
        ...(options.onError !== undefined ? { onError: options.onError } : {}),
      };
    },
  };
}

/** Builds the studio as a web-standard app (`app.fetch`), for tests and other hosts. */
export async function createStudio(
  options: StudioOptions,
): Promise<{ gallery: GalleryStore; server: ServerApp }> {
  const { gallery, build } = await parts(options);
  let server: ServerApp | undefined;
  server = createServerApp(build(() => server as ServerApp));
  return { gallery, server };
}

/** A listening studio. */
export interface RunningStudio extends RunningServer {
  readonly gallery: GalleryStore;
}

/** Starts the studio on `host` (default 127.0.0.1) and `port` (default 8081; 0 picks a free one). */
export async function startStudio(
  options: StudioOptions & { readonly host?: string; readonly port?: number },
): Promise<RunningStudio> {
  const { gallery, build } = await parts(options);
  let running: RunningServer | undefined;
  running = await serve({
    ...build(() => (running as RunningServer).server),
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 8081,
  });
  return Object.assign(running, { gallery });
}
