/**
 * PostgreSQL with pgvector, in process: PGlite (PostgreSQL compiled to WebAssembly) with its pgvector
 * extension, served over the PostgreSQL wire protocol on a loopback port by PGlite's socket server. The
 * stores connect to it with `pg` exactly as they would to a real server, so the code under test is the
 * production code; this stands in where the machine's PostgreSQL has no pgvector package.
 *
 * PGlite is one session: the socket server queues statements from all connections into it, so a
 * client must use one connection (a transaction on one connection would otherwise see another's
 * statements). Pools pointed at it take `max: 1`.
 */
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** A running PGlite server. */
export interface PgliteServer {
  /** A `postgres://` URL for `pg`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts PGlite with pgvector on 127.0.0.1 at a free port. */
export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 8 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
