/**
 * A2A tasks kept in a durable run store (`@autogen-ts/core`'s `RunStore`: in memory, SQLite or
 * PostgreSQL), so a restarted server still answers `GetTask` and `ListTasks`. Each task is a thread of the
 * store whose metadata holds the task's JSON, owned by the caller's scope (tenant and user), so one
 * principal never reads another's tasks. The SDK's in-memory store stays in front as the working set: it
 * does the filtering and paging of `ListTasks`, and is filled from the run store on first use.
 */
import { type ListTasksRequest, type ListTasksResponse, Task } from "@a2a-js/sdk";
import {
  InMemoryTaskStore,
  resolveUserScope,
  type ServerCallContext,
  type TaskStore,
} from "@a2a-js/sdk/server";
import type { JsonObject, RunStore } from "@autogen-ts/core";

/** Options of {@link runStoreTaskStore}. */
export interface RunStoreTaskStoreOptions {
  /** The prefix of the threads that hold tasks (default `a2a-task:`), to keep them apart from runs. */
  readonly prefix?: string;
}

/** A `TaskStore` of the A2A SDK on a run store: pass it as `serveA2A`'s `taskStore`. */
export function runStoreTaskStore(store: RunStore, options: RunStoreTaskStoreOptions = {}): TaskStore {
  return new RunStoreTaskStore(store, options.prefix ?? "a2a-task:");
}

class RunStoreTaskStore implements TaskStore {
  private readonly cache = new InMemoryTaskStore((context) => scopeOf(context));
  private readonly hydrated = new Map<string, Promise<void>>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly store: RunStore,
    private readonly prefix: string,
  ) {}

  async save(task: Task, context: ServerCallContext): Promise<void> {
    await this.cache.save(task, context);
    const id = this.threadId(task.id, context);
    const metadata = { kind: "a2a-task", task: Task.toJSON(task) } as JsonObject;
    // Saves of one task are ordered, so the store always ends with the newest.
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const exists = (await this.store.getThread(id)) !== undefined;
        await this.store.write([
          exists
            ? { kind: "updateThread", id, metadata }
            : { kind: "createThread", id, owner: scopeOf(context), metadata },
        ]);
      });
    this.writes.set(id, next);
    try {
      await next;
    } finally {
      if (this.writes.get(id) === next) this.writes.delete(id);
    }
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const cached = await this.cache.load(taskId, context);
    if (cached) return cached;
    const thread = await this.store.getThread(this.threadId(taskId, context));
    if (!thread || thread.owner !== scopeOf(context)) return undefined;
    const task = Task.fromJSON(thread.metadata.task);
    await this.cache.save(task, context);
    return task;
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    await this.hydrate(context);
    return this.cache.list(params, context);
  }

  /** Loads every stored task of the caller's scope into the working set, once per scope. */
  private hydrate(context: ServerCallContext): Promise<void> {
    const scope = scopeOf(context);
    let done = this.hydrated.get(scope);
    if (!done) {
      done = (async () => {
        let cursor: string | undefined;
        do {
          const page = await this.store.listThreads({
            owner: scope,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          });
          for (const thread of page.items) {
            if (!thread.id.startsWith(this.prefix) || thread.metadata.kind !== "a2a-task") continue;
            const task = Task.fromJSON(thread.metadata.task);
            if (!(await this.cache.load(task.id, context))) await this.cache.save(task, context);
          }
          cursor = page.nextCursor;
        } while (cursor);
      })();
      this.hydrated.set(scope, done);
      done.catch(() => this.hydrated.delete(scope));
    }
    return done;
  }

  private threadId(taskId: string, context: ServerCallContext): string {
    return `${this.prefix}${encodeURIComponent(scopeOf(context))}:${taskId}`;
  }
}

/** The tenant and the user: tasks of one scope are invisible to every other. */
function scopeOf(context: ServerCallContext): string {
  return `${context.tenant ?? ""}/${resolveUserScope(context)}`;
}
