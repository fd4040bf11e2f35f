/** `--store <spec>`: which run store a command uses. */
import type { RunStore } from "@autogen-ts/core";
import { InMemoryRunStore, ValidationError } from "@autogen-ts/core";

/**
 * Opens the store a `--store` value names: `postgres://…` (or `postgresql://…`) is PostgreSQL,
 * `sqlite:<path>` or a plain path is a SQLite file (created if missing), `memory` keeps nothing after
 * the process exits (a server for trying things out).
 */
export async function openStore(spec: string): Promise<RunStore> {
  if (spec.trim() === "") throw new ValidationError("--store needs a value: sqlite:<file> or postgres://…");
  if (spec === "memory") return new InMemoryRunStore();
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresRunStore } = await import("@autogen-ts/ext/stores/postgres");
    return PostgresRunStore.open({ connectionString: spec });
  }
  const path = spec.startsWith("sqlite:") ? spec.slice("sqlite:".length) : spec;
  if (path === "") throw new ValidationError("--store sqlite: needs a file, as in sqlite:./runs.db");
  const { SqliteRunStore } = await import("@autogen-ts/ext/stores/sqlite");
  return SqliteRunStore.open({ path });
}
