/**
 * `serve`: the API on Node's HTTP server, with the run WebSocket beside it. Binds 127.0.0.1 unless told
 * otherwise and refuses another address without authentication (the HTTP kit's `listen`). `close()`
 * stops taking runs, records the live ones as `interrupted` (resumable) and ends every connection.
 */
import { type HttpListener, listen } from "@autogen-ts/ext/http";
import { createServerApp, type ServerApp, type ServerAppOptions } from "../app.js";
import { attachRunSocket } from "./ws.js";

/** Options of {@link serve}. */
export interface ServeOptions extends ServerAppOptions {
  /** The address to bind (default `127.0.0.1`); another needs `apiKeys` or `authenticate`. */
  readonly host?: string;
  /** The port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /**
   * Runs that an earlier process left interrupted when it stopped (SIGTERM, a crash) go on at once
   * (default false: they wait, and a client resumes or cancels them). Runs waiting for a person's
   * answer always wait for it.
   */
  readonly resumeInterrupted?: boolean;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly server: ServerApp;
  readonly listener: HttpListener;
  /** Stops gracefully: no new runs, live ones checkpointed as interrupted, connections closed. */
  close(): Promise<void>;
}

/** Starts the API (and `/ws/runs/{runId}`) and resolves once it accepts requests. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const server = createServerApp(options);
  await server.manager.recover({ resume: options.resumeInterrupted === true });
  const listener = await listen(server.app, {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 8080,
  });
  const closeSockets = attachRunSocket(listener.server, server, {
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    url: listener.url,
    host: listener.host,
    port: listener.port,
    server,
    listener,
    close: () => {
      closing ??= (async () => {
        await server.shutdown();
        closeSockets();
        await listener.close();
      })();
      return closing;
    },
  };
}
