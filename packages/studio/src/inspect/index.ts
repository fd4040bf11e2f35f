/**
 * Inspecting a run: its checkpoints in order with the state at each, the diff between two, "fork from
 * here" (agentchat's durable fork: a new thread whose history is that checkpoint's), and the run's
 * timeline (each event with the time it was recorded) for the waterfall.
 */
import { type ChatAgent, DurableRunner, type Team } from "@autogen-ts/agentchat";
import type { CheckpointRecord, JsonValue, RunStore } from "@autogen-ts/core";
import { type Principal, type RunManager, ServerError } from "@autogen-ts/server";
import { diffJson, type JsonChange } from "./diff.js";

/** A checkpoint as the inspect page shows it. */
export interface CheckpointView {
  readonly checkpointId: string;
  readonly parentId?: string;
  readonly seq: number;
  readonly createdAt: string;
  readonly metadata: JsonValue;
  readonly state: JsonValue;
}

function view(cp: CheckpointRecord): CheckpointView {
  return {
    checkpointId: cp.id,
    ...(cp.parentId !== undefined ? { parentId: cp.parentId } : {}),
    seq: cp.seq,
    createdAt: cp.createdAt,
    metadata: cp.metadata as JsonValue,
    state: cp.state as JsonValue,
  };
}

/** The inspect operations, checked against the principal like the server's own routes. */
export class RunInspector {
  readonly #manager: RunManager;
  readonly #store: RunStore;

  constructor(manager: RunManager) {
    this.#manager = manager;
    this.#store = manager.store;
  }

  /** The run's checkpoints, oldest first. */
  async checkpoints(principal: Principal, runId: string): Promise<CheckpointView[]> {
    const run = await this.#manager.run(principal, runId);
    const all: CheckpointRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#store.listCheckpoints(run.threadId, {
        runId,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return all.reverse().map(view);
  }

  async #checkpoint(principal: Principal, id: string): Promise<CheckpointRecord> {
    const cp = await this.#store.getCheckpoint(id);
    // A checkpoint is visible to whoever may see its thread.
    if (cp !== undefined) await this.#manager.thread(principal, cp.threadId);
    if (cp === undefined) throw new ServerError(404, "not_found", `No checkpoint ${id}`);
    return cp;
  }

  /** What changed from checkpoint `from` to checkpoint `to`. */
  async diff(principal: Principal, from: string, to: string): Promise<JsonChange[]> {
    const [a, b] = [await this.#checkpoint(principal, from), await this.#checkpoint(principal, to)];
    return diffJson(a.state as JsonValue, b.state as JsonValue);
  }

  /**
   * A new thread that continues from checkpoint `id`; `runner` is an instance of the team that wrote it
   * (the durable runner checks the definition when the new thread runs).
   */
  async fork(principal: Principal, id: string, runner: Team | ChatAgent): Promise<{ threadId: string }> {
    await this.#checkpoint(principal, id);
    const durable = new DurableRunner({ store: this.#store, runner });
    const { threadId } = await durable.fork(id, { owner: principal.id });
    return { threadId };
  }

  /** The run's recorded events with their times (the waterfall's bars). */
  async timeline(
    principal: Principal,
    runId: string,
  ): Promise<{ seq: number; type: string; source: string; createdAt: string }[]> {
    await this.#manager.run(principal, runId);
    const events = await this.#store.readEvents(runId);
    return events.map((e) => ({
      seq: e.seq,
      type: e.type,
      source: String((e.data as { source?: unknown } | null)?.source ?? ""),
      createdAt: e.createdAt,
    }));
  }
}
