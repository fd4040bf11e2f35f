/**
 * `listen`: serves a Hono app on Node's HTTP server (through `@hono/node-server`), on 127.0.0.1 unless
 * told otherwise, and never on another address for an app without authentication. It prints nothing:
 * the caller gets the URL and decides what to say.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ValidationError } from "@autogen-ts/core";
import { createAdaptorServer } from "@hono/node-server";
import { isAuthenticatedApp } from "./guard.js";
import { isLoopbackHost } from "./hosts.js";

/** What {@link listen} serves: a Hono app, or anything else with a web-standard `fetch`. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /** The address to bind (default `127.0.0.1`). Another than loopback needs an app with authentication. */
  readonly host?: string;
  /** The port (default 0: any free port; the listener tells which). */
  readonly port?: number;
}

/** A listening server. */
export interface HttpListener {
  /** The base URL, `http://<host>:<port>` (no trailing slash). */
  readonly url: string;
  /** The address bound. */
  readonly host: string;
  /** The port bound. */
  readonly port: number;
  /** The underlying Node server (for timeouts and the like). */
  readonly server: Server;
  /** Resolves once the server has stopped. */
  readonly closed: Promise<void>;
  /** Stops accepting, ends open connections (streams included) and resolves when closed. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves `app` over HTTP. Binding a non-loopback address (`0.0.0.0`, a LAN address) is refused unless the
 * app was built by `guardedApp` with an `authenticate` hook: an unauthenticated agent server on the
 * network runs anyone's tasks with your model keys.
 *
 * @throws ValidationError (`invalid_config`) for a non-loopback host without authentication or a bad
 * port; the listener's error (for example `EADDRINUSE`) when the port is taken.
 */
export async function listen(app: FetchApp, options: ListenOptions = {}): Promise<HttpListener> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ValidationError(`listen: port ${String(port)} is not a port number`, {
      code: "invalid_config",
    });
  }
  if (!isLoopbackHost(host) && !isAuthenticatedApp(app)) {
    throw new ValidationError(
      `listen: refusing to serve on ${host} without authentication; bind 127.0.0.1, or build the app with guardedApp({ authenticate })`,
      { code: "invalid_config" },
    );
  }
  const server = createAdaptorServer({ fetch: (request) => app.fetch(request), hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let resolveClosed = () => {};
  const closed = new Promise<void>((done) => {
    resolveClosed = done;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((done) => {
      server.close(() => done());
      // Streams (SSE) never end on their own: close every connection, idle or not.
      server.closeAllConnections();
    }).then(resolveClosed);
    return closing;
  };
  const urlHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return { url: `http://${urlHost}:${bound}`, host, port: bound, server, closed, close };
}

/** A mountable app with its own lifecycle (what `mcpApp` and `a2aApp` return). */
export interface ClosableApp {
  readonly app: FetchApp;
  /** Ends what the app holds (sessions, runs) before the listener goes. */
  close(): Promise<void>;
}

/**
 * {@link listen} for a {@link ClosableApp}: when listening fails the app is closed too, and the
 * listener's `close` closes the app first.
 */
export async function listenApp(served: ClosableApp, options: ListenOptions = {}): Promise<HttpListener> {
  let listener: HttpListener;
  try {
    listener = await listen(served.app, options);
  } catch (error) {
    await served.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= served.close().then(() => listener.close());
    return closing;
  };
  return { ...listener, close };
}
