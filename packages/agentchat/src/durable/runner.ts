/**
 * `DurableRunner`: runs a team (or an agent) so that it survives its process. Every message is committed
 * to a {@link RunStore} before the caller sees it; a team commits a checkpoint after every turn; model and
 * tool calls go into the run's ledger as they complete. `resume(runId)` in any process with the store and
 * the same definition continues from the last checkpoint, replaying the interrupted turn from the ledger
 * (no completed model or tool call is made again). A person's input parks the run as `interrupted` until
 * someone answers.
 */

import {
  AutogenError,
  CancelledError,
  CheckpointError,
  type CheckpointRecord,
  type InputRequestRecord,
  type JsonValue,
  nowIso,
  type RunLease,
  type RunRecord,
  type RunStatus,
  type RunStore,
  randomUuid,
  StoreError,
  type StoreWrite,
  ValidationError,
} from "@autogen-ts/core";
import { taskMessages } from "../agents/base-chat-agent.js";
import type { AgentState, ChatAgent, Task, TaskResult } from "../base/types.js";
import { isTaskResult } from "../base/types.js";
import { modelsOf, runUsage } from "../base/usage.js";
import { type BaseAgentMessage, isTransient } from "../messages/base.js";
import { defaultMessageRegistry, type MessageRegistry } from "../messages/registry.js";
import { isTeam, type Team } from "../teams/team.js";
import {
  type CheckpointMigration,
  checkpointStateOf,
  FULL_CHECKPOINT_FORMAT,
  readCheckpoint,
  stateFor,
} from "./checkpoint.js";
import {
  type DefinitionDescriptor,
  definitionHash,
  describeDefinition,
  descriptorJson,
} from "./definition.js";
import { findCause, findInputRequired } from "./errors.js";
import { createJournal, type JournalEntry } from "./journal.js";
import { DurableRun, type DurableRunResult } from "./run.js";
import type { DurableResumeOptions, DurableRunnerOptions, DurableRunOptions } from "./runner-options.js";

export type { DurableResumeOptions, DurableRunnerOptions, DurableRunOptions } from "./runner-options.js";

/** Where a run starts (or restarts) from. */
interface Start {
  runId: string;
  threadId: string;
  task: Task | undefined;
  /** Messages the run already reported (a resume), which the replay reproduces and must not report twice. */
  prior: BaseAgentMessage[];
  skip: number;
  seq: number;
  head: string | null;
  entries: Map<string, JournalEntry>;
  answers: Map<string, JsonValue>;
}

const END_STATES: readonly RunStatus[] = ["completed"];

/** Runs and resumes durable runs of one team (or agent) definition on one store. */
export class DurableRunner {
  readonly store: RunStore;
  readonly runner: Team | ChatAgent;
  readonly #migrations: readonly CheckpointMigration[];
  readonly #leaseMs: number;
  readonly #holder: string;
  readonly #registry: MessageRegistry;
  #descriptor: DefinitionDescriptor | undefined;

  constructor(options: DurableRunnerOptions) {
    if (options?.store === undefined || typeof options.store.write !== "function") {
      throw new ValidationError("DurableRunner needs a 'store'");
    }
    if (options.runner === undefined)
      throw new ValidationError("DurableRunner needs a 'runner' (a team or agent)");
    this.store = options.store;
    this.runner = options.runner;
    this.#migrations = options.migrations ?? [];
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#holder = options.holder ?? `runner-${randomUuid()}`;
    this.#registry = options.messageRegistry ?? defaultMessageRegistry;
  }

  /** The definition's description and its hash (what each checkpoint records). */
  get definition(): { descriptor: DefinitionDescriptor; hash: string } {
    this.#descriptor ??= describeDefinition(this.runner);
    return { descriptor: this.#descriptor, hash: definitionHash(this.#descriptor) };
  }

  #lease(): RunLease {
    return { holder: this.#holder, expiresAt: new Date(Date.now() + this.#leaseMs).toISOString() };
  }

  /** Starts a run: its id is known at once; iterate the returned {@link DurableRun} to drive it. */
  run(options: DurableRunOptions = {}): DurableRun {
    const runId = options.runId ?? randomUuid();
    const prepare = async (): Promise<Start> => {
      const threadId = options.threadId ?? randomUuid();
      const thread = options.threadId === undefined ? undefined : await this.store.getThread(threadId);
      // The state just loaded from the head is the run's start state: the start checkpoint borrows it
      // (or, after a migration, keeps the migrated state as is rather than saving the team again).
      const loaded =
        thread?.head === undefined ? undefined : await this.#restore(await this.#checkpoint(thread.head));
      const writes: StoreWrite[] = [];
      if (thread === undefined) writes.push({ kind: "createThread", id: threadId, owner: options.owner });
      const task = options.task === undefined ? undefined : taskMessages(options.task);
      writes.push({
        kind: "createRun",
        id: runId,
        threadId,
        owner: options.owner,
        task: task === undefined ? undefined : (task.map((m) => m.toJSON()) as JsonValue),
        options: options.options ?? {},
        definitionHash: this.definition.hash,
        lease: this.#lease(),
      });
      const head =
        loaded !== undefined && loaded.record.definitionHash === this.definition.hash
          ? this.#startRef(writes, threadId, runId, thread?.head as string, loaded.record)
          : await this.#checkpointWrites(
              writes,
              threadId,
              runId,
              thread?.head ?? null,
              0,
              "start",
              loaded?.state,
            );
      await this.store.write(writes);
      return {
        runId,
        threadId,
        task,
        prior: [],
        skip: 0,
        seq: 0,
        head,
        entries: new Map(),
        answers: new Map(),
      };
    };
    return new DurableRun(runId, this.#drive(prepare, options.signal, options.askInput ?? false));
  }

  /**
   * Continues a run from its last checkpoint: after a crash, a cancel, a failure, or with the answer to
   * the request it waits on. Refused with `run_busy` while another process holds the run.
   */
  resume(runId: string, options: DurableResumeOptions = {}): DurableRun {
    const prepare = async (): Promise<Start> => {
      const before = await this.store.getRun(runId);
      if (before === undefined)
        throw new StoreError("not_found", this.store.name, `no run ${JSON.stringify(runId)}`);
      if (END_STATES.includes(before.status)) {
        throw new ValidationError(`Run ${runId} has completed; start a new run on its thread to go on`, {
          code: "invalid_state",
        });
      }
      // Checked (and loaded) before the run is taken over, so that a checkpoint that cannot be restored
      // leaves the run as it was for a process that can.
      const checked = await this.#latestCheckpoint(before);
      let { phase } = await this.#restore(checked);
      const writes: StoreWrite[] = [
        {
          kind: "updateRun",
          id: runId,
          status: "running",
          error: null,
          ended: false,
          lease: this.#lease(),
          ifLeaseFree: { holder: this.#holder, now: nowIso() },
        },
      ];
      if (options.input !== undefined) writes.push(await this.#answer(before, options.input));
      await this.store.write(writes);
      // Everything the resume goes on from is read after the takeover committed: the store makes a
      // takeover wait for the previous holder's writes in flight (a killed process's last COMMIT still
      // lands), so what is read now is all there will be. What was read before may be older.
      try {
        const run = (await this.store.getRun(runId)) ?? before;
        const latest = await this.#latestCheckpoint(run);
        if (latest.id !== checked.id) ({ phase } = await this.#restore(latest));
        const events = await this.store.readEvents(runId);
        const prior = events.map((e) => this.#message(e.data, `event ${e.seq} of run ${runId}`));
        const entries = new Map<string, JournalEntry>();
        for (const e of await this.store.readLedger(runId))
          entries.set(e.key, { status: e.status, value: e.value });
        const answers = new Map<string, JsonValue>();
        for (const r of await this.store.listInputRequests(runId))
          if (r.answer) answers.set(r.requestId, r.answer.value);
        const thread = await this.store.getThread(run.threadId);
        return {
          runId,
          threadId: run.threadId,
          task: phase === "start" ? this.#task(run) : undefined,
          prior,
          skip: run.lastSeq - latest.seq,
          seq: run.lastSeq,
          head: thread?.head ?? null,
          entries,
          answers,
        };
      } catch (error) {
        // Nothing ran: hand the run back as it was.
        await this.store
          .write([{ kind: "updateRun", id: runId, status: before.status, lease: null }])
          .catch(() => undefined);
        throw error;
      }
    };
    return new DurableRun(runId, this.#drive(prepare, options.signal, options.askInput ?? false));
  }

  /**
   * Starts a new thread whose history is the given checkpoint's (any checkpoint of any thread): run on
   * it with `run({ threadId })`. Returns the new thread's id and its head checkpoint.
   */
  async fork(
    checkpointId: string,
    options: { owner?: string } = {},
  ): Promise<{ threadId: string; checkpointId: string }> {
    const given = await this.#checkpoint(checkpointId);
    const of = checkpointStateOf(given);
    // The fork is a thread of its own: it copies a borrowed state rather than point across threads.
    const source = of === undefined ? given : await this.#checkpoint(of);
    readCheckpoint(source);
    const threadId = randomUuid();
    const id = randomUuid();
    await this.store.write([
      { kind: "createThread", id: threadId, owner: options.owner, metadata: { forkedFrom: checkpointId } },
      {
        kind: "putCheckpoint",
        id,
        threadId,
        parentId: given.id,
        formatVersion: source.formatVersion,
        definitionHash: source.definitionHash,
        seq: 0,
        state: source.state,
        metadata: { source: "fork", forkedFrom: checkpointId },
      },
      { kind: "setHead", threadId, expected: null, head: id },
    ]);
    return { threadId, checkpointId: id };
  }

  async #answer(run: RunRecord, input: { requestId?: string; value: JsonValue }): Promise<StoreWrite> {
    let requestId = input.requestId;
    if (requestId === undefined) {
      const pending = await this.store.listInputRequests(run.id, { pending: true });
      if (pending.length !== 1) {
        throw new ValidationError(
          `Run ${run.id} waits on ${pending.length} requests; say which one the input answers` +
            (pending.length > 0 ? ` (${pending.map((r) => r.requestId).join(", ")})` : ""),
        );
      }
      requestId = (pending[0] as InputRequestRecord).requestId;
    }
    return { kind: "answerInput", runId: run.id, requestId, value: input.value };
  }

  #task(run: RunRecord): Task | undefined {
    if (!Array.isArray(run.task)) return undefined;
    return run.task.map((json, i) =>
      this.#message(json, `task message ${i} of run ${run.id}`),
    ) as unknown as Task;
  }

  #message(json: JsonValue, what: string): BaseAgentMessage {
    try {
      return this.#registry.fromJSON(json as never);
    } catch (cause) {
      throw new CheckpointError("checkpoint_corrupt", `The store's ${what} cannot be read back`, { cause });
    }
  }

  /** The newest checkpoint of a run: where a resume continues from. */
  async #latestCheckpoint(run: RunRecord): Promise<CheckpointRecord> {
    const latest = (await this.store.listCheckpoints(run.threadId, { runId: run.id, limit: 1 })).items[0];
    if (latest === undefined) {
      throw new CheckpointError("checkpoint_corrupt", `Run ${run.id} has no checkpoint to resume from`);
    }
    return latest;
  }

  async #checkpoint(id: string): Promise<CheckpointRecord> {
    let record: CheckpointRecord | undefined;
    try {
      record = await this.store.getCheckpoint(id);
    } catch (cause) {
      if (StoreError.isInstance(cause)) throw cause;
      throw new CheckpointError("checkpoint_corrupt", `Checkpoint ${id} cannot be read: it is damaged`, {
        cause,
      });
    }
    if (record === undefined)
      throw new StoreError("not_found", this.store.name, `no checkpoint ${JSON.stringify(id)}`);
    return record;
  }

  /**
   * Loads a checkpoint into the runner, after the format, shape and definition checks. A start that
   * borrows its state reads the checkpoint it borrows from (a full one, of the same definition).
   */
  async #restore(
    given: CheckpointRecord,
  ): Promise<{ phase: "start" | "turn" | "end"; state: AgentState; record: CheckpointRecord }> {
    const of = checkpointStateOf(given);
    const record = of === undefined ? given : await this.#checkpoint(of);
    if (
      of !== undefined &&
      (checkpointStateOf(record) !== undefined || record.definitionHash !== given.definitionHash)
    ) {
      throw new CheckpointError(
        "checkpoint_corrupt",
        `Checkpoint ${given.id} borrows the state of ${of}, which is not a full checkpoint of its definition`,
        { details: { checkpointId: given.id } },
      );
    }
    const doc = readCheckpoint(record);
    const state = await stateFor(record, doc, this.definition.descriptor, this.#migrations);
    try {
      await this.runner.loadState(state);
    } catch (cause) {
      if (!ValidationError.isInstance(cause)) throw cause;
      throw new CheckpointError(
        "checkpoint_corrupt",
        `Checkpoint ${record.id} does not load: ${cause.message}`,
        {
          cause,
        },
      );
    }
    return { phase: of === undefined ? doc.phase : "start", state, record };
  }

  /**
   * Adds a run's start checkpoint after the thread's head `head`, borrowing the state of `from` (the
   * head, or the full checkpoint the head borrows from); returns its id.
   */
  #startRef(
    writes: StoreWrite[],
    threadId: string,
    runId: string,
    head: string,
    from: CheckpointRecord,
  ): string {
    const id = crypto.randomUUID();
    writes.push(
      {
        kind: "putCheckpoint",
        id,
        threadId,
        runId,
        parentId: head,
        formatVersion: 2,
        definitionHash: from.definitionHash,
        seq: 0,
        state: { definition: descriptorJson(this.definition.descriptor), phase: "start", stateOf: from.id },
      },
      { kind: "setHead", threadId, expected: head, head: id },
    );
    return id;
  }

  /** Adds a checkpoint of the runner's current state (and the head move) to `writes`; returns its id. */
  async #checkpointWrites(
    writes: StoreWrite[],
    threadId: string,
    runId: string,
    parent: string | null,
    seq: number,
    phase: "start" | "turn" | "end",
    state?: AgentState,
  ): Promise<string> {
    const id = randomUuid();
    const snapshot = state ?? (await this.runner.saveState());
    writes.push(
      {
        kind: "putCheckpoint",
        id,
        threadId,
        runId,
        ...(parent === null ? {} : { parentId: parent }),
        formatVersion: FULL_CHECKPOINT_FORMAT,
        definitionHash: this.definition.hash,
        seq,
        state: {
          definition: descriptorJson(this.definition.descriptor),
          state: snapshot as JsonValue,
          phase,
        } as JsonValue,
      },
      { kind: "setHead", threadId, expected: parent, head: id },
    );
    return id;
  }

  async *#drive(
    prepare: () => Promise<Start>,
    signal: AbortSignal | undefined,
    askInput: boolean,
  ): AsyncGenerator<BaseAgentMessage | DurableRunResult> {
    const start = await prepare();
    const { runId, threadId } = start;
    let { seq, head, skip } = start;
    const messages = [...start.prior];
    const store = this.store;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    // Renew the lease while the run goes on; losing it (another process took the run over) stops this one.
    const renew = setInterval(
      () => {
        store
          .write([
            {
              kind: "updateRun",
              id: runId,
              lease: this.#lease(),
              ifLeaseFree: { holder: this.#holder, now: nowIso() },
            },
          ])
          .catch((error: unknown) => {
            if (StoreError.isInstance(error) && error.code === "run_busy") controller.abort(error);
          });
      },
      Math.max(10, Math.floor(this.#leaseMs / 3)),
    );
    (renew as { unref?: () => void }).unref?.();
    const journal = createJournal({
      runId,
      entries: start.entries,
      answers: start.answers,
      askNow: askInput,
      persist: (writes) => store.write(writes),
      onCheckpoint: isTeam(this.runner)
        ? async (state) => {
            // A replayed turn's snapshot is already stored: only checkpoints past the reported messages count.
            if (skip > 0) return;
            const writes: StoreWrite[] = [];
            head = await this.#checkpointWrites(writes, threadId, runId, head, seq, "turn", state);
            await store.write(writes);
          }
        : undefined,
    });
    let result: TaskResult | undefined;
    try {
      try {
        for await (const item of this.runner.runStream({
          ...(start.task === undefined ? {} : { task: start.task }),
          signal: controller.signal,
          journal,
        })) {
          if (isTaskResult(item)) {
            result = item;
            continue;
          }
          if (isTransient(item)) {
            if (skip === 0) yield item;
            continue;
          }
          if (skip > 0) {
            // The replay of what was reported before the crash: already stored, already seen.
            const reported = messages[messages.length - skip];
            skip -= 1;
            if (reported !== undefined && reported.type !== item.type) {
              throw new CheckpointError(
                "definition_changed",
                `Run ${runId} replayed a ${item.type} where a ${reported.type} was reported: the agents no longer ` +
                  "behave as in the run that was interrupted",
              );
            }
            continue;
          }
          seq += 1;
          await store.write([
            {
              kind: "appendEvents",
              runId,
              events: [{ seq, type: item.type, data: item.toJSON() as JsonValue }],
            },
          ]);
          messages.push(item);
          yield item;
        }
      } catch (error) {
        throw controller.signal.reason !== undefined && StoreError.isInstance(controller.signal.reason)
          ? controller.signal.reason
          : error;
      }
      const writes: StoreWrite[] = [];
      head = await this.#checkpointWrites(writes, threadId, runId, head, seq, "end");
      writes.push({
        kind: "updateRun",
        id: runId,
        status: "completed",
        stopReason: result?.stopReason ?? null,
        lease: null,
        ended: true,
      });
      await store.write(writes);
      yield this.#result(runId, threadId, "completed", messages, result?.stopReason, []);
    } catch (error) {
      const input = findInputRequired(error);
      if (input !== undefined) {
        await store.write([{ kind: "updateRun", id: runId, status: "interrupted", lease: null }]);
        const pending = await store.listInputRequests(runId, { pending: true });
        yield this.#result(runId, threadId, "interrupted", messages, undefined, pending);
        return;
      }
      // A store that failed under an agent's turn (a ledger write) is the run's error, named as the store
      // (store_unavailable, store_full), not the participant failure wrapping it.
      const storeError = findCause(error, (e): e is StoreError => StoreError.isInstance(e));
      throw await this.#fail(runId, storeError ?? error, messages);
    } finally {
      clearInterval(renew);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  #result(
    runId: string,
    threadId: string,
    status: RunStatus,
    messages: BaseAgentMessage[],
    stopReason: string | undefined,
    pendingInput: readonly InputRequestRecord[],
  ): DurableRunResult {
    const participants = (this.runner as { participants?: readonly unknown[] }).participants ?? [this.runner];
    return {
      runId,
      threadId,
      status,
      messages,
      usage: runUsage(messages, modelsOf(participants)),
      ...(stopReason === undefined ? {} : { stopReason }),
      pendingInput,
    };
  }

  /** Records how the run ended (when the store still answers) and returns the error to throw. */
  async #fail(runId: string, error: unknown, messages: BaseAgentMessage[]): Promise<unknown> {
    const cancelled = CancelledError.isInstance(error);
    if (!StoreError.isInstance(error)) {
      const code = AutogenError.isInstance(error) ? error.code : "internal";
      const message = error instanceof Error ? error.message : String(error);
      await this.store
        .write([
          {
            kind: "updateRun",
            id: runId,
            status: cancelled ? "cancelled" : "failed",
            ...(cancelled ? {} : { error: { code, message } }),
            lease: null,
            ended: true,
          },
        ])
        .catch(() => undefined);
    }
    if (AutogenError.isInstance(error)) {
      // The error keeps its class (a StoreError stays one); the messages so far travel with it, as a
      // plain run's do.
      (error as { details: Record<string, unknown> | undefined }).details = {
        ...error.details,
        runId,
        messages,
      };
      return error;
    }
    return new AutogenError("internal", `Run ${runId} failed: ${String(error)}`, {
      cause: error,
      details: { runId, messages },
    });
  }
}
