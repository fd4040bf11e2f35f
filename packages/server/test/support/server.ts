/** Starts the API on loopback over a store, for tests that talk HTTP to it. */
import { InMemoryRunStore, type RunStore } from "@autogen-ts/core";
import { type HttpListener, listen } from "@autogen-ts/ext/http";
import { createServerApp, type ServerApp, type ServerAppOptions } from "../../src/index.js";

/** A running test server. */
export interface TestServer {
  readonly url: string;
  readonly server: ServerApp;
  readonly store: RunStore;
  readonly listener: HttpListener;
  close(): Promise<void>;
}

/** Serves `teams` on 127.0.0.1 (any port). */
export async function startServer(
  options: Partial<ServerAppOptions> & Pick<ServerAppOptions, "teams">,
): Promise<TestServer> {
  const store = options.store ?? new InMemoryRunStore();
  const server = createServerApp({ ...options, store });
  const listener = await listen(server.app, { port: 0 });
  return {
    url: listener.url,
    server,
    store,
    listener,
    close: async () => {
      await server.shutdown();
      await listener.close();
    },
  };
}

/** Reads an SSE body into events (id, event, parsed data) until it ends or `stopAfter` events came. */
export async function readSse(
  response: Response,
  options: { stopAfter?: number } = {},
): Promise<{ id: string | undefined; event: string | undefined; data: unknown }[]> {
  const events: { id: string | undefined; event: string | undefined; data: unknown }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (frame.startsWith(":")) continue;
        const fields = new Map<string, string>();
        for (const line of frame.split("\n")) {
          const colon = line.indexOf(":");
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        const data = fields.get("data");
        events.push({
          id: fields.get("id"),
          event: fields.get("event"),
          data: data === undefined ? undefined : JSON.parse(data),
        });
        if (options.stopAfter !== undefined && events.length >= options.stopAfter) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}

/** Reads `GET /runs/{runId}` until `done(run)` holds (the test's own timeout bounds the wait). */
export async function runWhen<T extends { status: string }>(
  url: string,
  runId: string,
  done: (run: T) => boolean,
  headers: Record<string, string> = {},
): Promise<T> {
  for (;;) {
    const run = (await (await fetch(`${url}/runs/${runId}`, { headers })).json()) as T;
    if (done(run)) return run;
    await new Promise((r) => setTimeout(r, 10));
  }
}
