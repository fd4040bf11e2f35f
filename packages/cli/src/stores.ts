/**
 * `--store <spec>`: which run store a command uses. `memory` keeps nothing after the process exits;
 * `sqlite:<path>` and `postgres://...` load their store module only when named.
 */
import { InMemoryRunStore, type RunStore, ValidationError } from "@autogen-ts/core";

/** Opens the store a `--store` value names. */
export async function openStore(spec: string): Promise<RunStore> {
  if (spec === "memory") return new InMemoryRunStore();
  if (spec.startsWith("sqlite:")) {
    const path = spec.slice("sqlite:".length);
    if (path === "") throw new ValidationError("--store sqlite: needs a file path, as in sqlite:./runs.db");
    const module = (await import(/* @vite-ignore */ "@autogen-ts/ext/stores/sqlite" as string).catch(
      (error: unknown) => {
        throw new ValidationError(`--store ${spec}: the SQLite store is not available here`, {
          cause: error,
          code: "invalid_config",
        });
      },
    )) as { SqliteRunStore: new (options: { path: string }) => RunStore };
    return new module.SqliteRunStore({ path });
  }
  if (spec.startsWith("postgres://") || spec.startsWith("postgresql://")) {
    const module = (await import(/* @vite-ignore */ "@autogen-ts/ext/stores/postgres" as string).catch(
      (error: unknown) => {
        throw new ValidationError("--store postgres: the PostgreSQL store is not available here", {
          cause: error,
          code: "invalid_config",
        });
      },
    )) as { PostgresRunStore: new (options: { connectionString: string }) => RunStore };
    return new module.PostgresRunStore({ connectionString: spec });
  }
  throw new ValidationError(`--store ${JSON.stringify(spec)}: give memory, sqlite:<path> or postgres://...`, {
    code: "invalid_config",
  });
}
