/**
 * What the commands that serve HTTP share: the `--port` check, the one-line error report, and the
 * `listening on http://HOST:PORT` line on stderr followed by a wait for SIGINT or SIGTERM, which closes
 * the server (no new runs; live ones recorded as interrupted, resumable).
 */
import { ValidationError } from "@autogen-ts/core";

/** `--port`'s value as a port number (0 picks a free one). */
export function parsePort(value: string | undefined, fallback: number): number {
  const port = Number(value ?? String(fallback));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ValidationError("--port must be a port number");
  return port;
}

/** Reports a server error by its class and code only: a message may quote what a client sent. */
export function reportServerError(error: unknown): void {
  process.stderr.write(
    `autogen-ts: server error: ${(error as Error)?.name ?? "Error"} ${(error as { code?: string })?.code ?? ""}\n`,
  );
}

/** Says where the server listens, then resolves once a signal has closed it. */
export async function serveUntilSignal(running: { url: string; close(): Promise<void> }): Promise<void> {
  process.stderr.write(`listening on ${running.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void running.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
