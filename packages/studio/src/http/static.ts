/**
 * The built web app (`dist/web`, made by the repo's `npm run build`), served as files: `/` is its page,
 * `/assets/*` its hashed scripts and styles. Nothing is built or fetched at start; a missing build is
 * a clear page saying how to make it.
 */
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { GuardedEnv } from "@autogen-ts/ext/http";
import type { Principal } from "@autogen-ts/server";
import { Hono } from "hono";

/** Where the built app is (beside `src` and `dist` of this package). */
export const WEB_ROOT = fileURLToPath(new URL("../../dist/web/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
};

/** Same-origin only: the page talks to this server and nothing else. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

async function file(root: string, name: string, cache: string): Promise<Response | undefined> {
  const path = normalize(join(root, name));
  if (!path.startsWith(root)) return undefined;
  try {
    const bytes = await readFile(path);
    return new Response(bytes, {
      headers: {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "cache-control": cache,
        ...SECURITY_HEADERS,
      },
    });
  } catch {
    return undefined;
  }
}

/** The app serving the page and its assets from `root` (default {@link WEB_ROOT}). */
export function webApp(root: string = WEB_ROOT): Hono<GuardedEnv<Principal>> {
  const app = new Hono<GuardedEnv<Principal>>();
  const page = async () =>
    (await file(root, "index.html", "no-cache")) ??
    new Response(
      "<!doctype html><title>autogen-ts studio</title><p>The studio's web app is not built: run <code>npm run build</code> in the repository.</p>",
      { status: 503, headers: { "content-type": "text/html; charset=utf-8", ...SECURITY_HEADERS } },
    );
  app.get("/", page);
  app.get("/index.html", page);
  app.get("/assets/:name", async (c) => {
    const found = await file(
      join(root, "assets"),
      c.req.param("name"),
      "public, max-age=31536000, immutable",
    );
    return found ?? c.json({ error: { code: "not_found", message: "No such asset" } }, 404);
  });
  return app;
}
