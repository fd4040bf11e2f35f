/**
 * Test helper for suites that need a local service (NATS, PostgreSQL, Redis, a browser binary).
 *
 * `serviceAvailable` probes a TCP endpoint. A suite that finds its service down is skipped with the
 * reason printed, except under `CI=true`, where a missing service fails the run instead of passing
 * silently.
 */
import { access } from "node:fs/promises";
import { connect } from "node:net";

/** The local defaults, overridable by environment variables. */
export const SERVICE_URLS = {
  nats: process.env.NATS_URL ?? "nats://127.0.0.1:4222",
  postgres: process.env.DATABASE_URL ?? process.env.POSTGRES_URL ?? "postgres://127.0.0.1:5432/test",
  redis: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
} as const;

/** True under CI, where a missing service is a failure rather than a skip. */
export const IN_CI = process.env.CI === "true";

/** Whether something accepts TCP connections at the URL's host and port (within `timeoutMs`). */
export function tcpReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Whether a file (such as a browser binary) exists. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides whether a suite runs: true when the service is there. When it is not, prints why and returns
 * false (use with `describe.skipIf(!ok)`), or throws under CI.
 */
export function requireService(name: string, available: boolean, where: string): boolean {
  if (available) return true;
  const reason = `${name} is not available at ${where}`;
  if (IN_CI) throw new Error(`${reason}: under CI=true a missing service is a failure, not a skip`);
  console.warn(`[skip] ${reason}; its tests are skipped`);
  return false;
}
