/**
 * The run journal: how a durable run's agents and teams find the calls an interrupted turn already made.
 * A team hands each participant's turn a scope of it (`writer#3`); inside, model calls are numbered in
 * order and tool calls are keyed by the model call that asked for them and the call id. A completed
 * entry is returned instead of calling again; a tool call that started and never completed ran when the
 * process died, and runs again unless the tool says it is not idempotent.
 *
 * Agents that know nothing of journals still work in a durable run: their turns simply re-run in full.
 */

import type {
  ApprovalResponse,
  CreateResult,
  FunctionCall,
  FunctionExecutionResult,
  JsonValue,
  StoreWrite,
} from "@autogen-ts/core";
import { randomUuid } from "@autogen-ts/core";
import type { AgentState } from "../base/types.js";
import { APPROVAL_SCHEMA, approvalFromAnswer } from "./approval.js";
import { InputRequiredError } from "./errors.js";

/** What a journal scope offers the code of one turn. */
export interface RunJournal {
  /** The scope's path (`writer#3`, `inner#0/critic#1`). */
  readonly path: string;
  /**
   * True for the root journal of a run that persists team snapshots; a team then hands one to
   * {@link checkpoint} after every turn. Scopes (nested teams, agents) are false.
   */
  readonly checkpoints: boolean;
  /** Persists a snapshot of the team taken between two turns (a no-op in a scope). */
  checkpoint(state: AgentState): Promise<void>;
  /** The scope of one turn of a participant (or a nested team). */
  scope(name: string): RunJournal;
  /** A model call: the recorded result of this call, or `call()`'s, recorded once it returns. */
  model(call: () => Promise<CreateResult>): Promise<{ result: CreateResult; replayed: boolean }>;
  /**
   * A tool call of the model call before it: the recorded result, or `run()`'s. A call that was
   * interrupted is run again when `idempotent`, else becomes an error result the model reads.
   */
  tool(
    call: FunctionCall,
    idempotent: boolean,
    run: () => Promise<FunctionExecutionResult>,
  ): Promise<FunctionExecutionResult>;
  /**
   * Asks a person: the recorded answer, or (when the run may ask now) `ask()`'s, recorded; otherwise the
   * request is persisted and an {@link InputRequiredError} ends the run as `interrupted`.
   */
  input(
    prompt: string,
    ask: (() => Promise<string>) | undefined,
    schema?: Record<string, JsonValue>,
  ): Promise<string>;
  /**
   * Asks for an approval (of code about to run, of a tool call): a request like {@link input}'s whose
   * answer reads as a verdict (see `approvalFromAnswer`); `ask` is the agent's approval function, used
   * only when the run may ask now.
   */
  approval(prompt: string, ask: (() => Promise<ApprovalResponse>) | undefined): Promise<ApprovalResponse>;
  /** The request id the next {@link input} or {@link approval} of this scope will use (the same after a resume). */
  nextRequestId(): string;
}

/** A ledger entry as the journal keeps it. */
export interface JournalEntry {
  readonly status: "started" | "completed";
  readonly value: JsonValue | undefined;
}

/** What the root journal is built with. */
export interface JournalOptions {
  /** The run's ledger as loaded from the store (empty for a new run). */
  readonly entries: ReadonlyMap<string, JournalEntry>;
  /** Answers already given, by request id. */
  readonly answers: ReadonlyMap<string, JsonValue>;
  /** Commits writes of the run (ledger entries, input requests) to the store. */
  readonly persist: (writes: StoreWrite[]) => Promise<void>;
  /** Commits a team snapshot; undefined for a run that does not checkpoint (a single agent). */
  readonly onCheckpoint?: ((state: AgentState) => Promise<void>) | undefined;
  /** True: a request with `ask` is asked now (a terminal); false: every request parks the run. */
  readonly askNow: boolean;
  readonly runId: string;
}

/** The shared ledger behind a run's journal scopes. */
class Ledger {
  readonly entries: Map<string, JournalEntry>;
  constructor(readonly options: JournalOptions) {
    this.entries = new Map(options.entries);
  }

  async put(writes: StoreWrite[], key: string, entry: JournalEntry): Promise<void> {
    await this.options.persist(writes);
    this.entries.set(key, entry);
  }
}

const INTERRUPTED =
  "Error: this call was interrupted (the process running it stopped) and was not run again, because " +
  "the tool is not idempotent: it may or may not have taken effect. Check before calling it again.";

class JournalScope implements RunJournal {
  #models = 0;
  #inputs = 0;
  readonly #ledger: Ledger;
  readonly checkpoints: boolean;

  constructor(
    ledger: Ledger,
    readonly path: string,
    root: boolean,
  ) {
    this.#ledger = ledger;
    this.checkpoints = root && ledger.options.onCheckpoint !== undefined;
  }

  async checkpoint(state: AgentState): Promise<void> {
    if (this.checkpoints) await this.#ledger.options.onCheckpoint?.(state);
  }

  scope(name: string): RunJournal {
    return new JournalScope(this.#ledger, this.path === "" ? name : `${this.path}/${name}`, false);
  }

  #key(suffix: string): string {
    return this.path === "" ? suffix : `${this.path}/${suffix}`;
  }

  async model(call: () => Promise<CreateResult>): Promise<{ result: CreateResult; replayed: boolean }> {
    const key = this.#key(`m${this.#models++}`);
    const done = this.#ledger.entries.get(key);
    if (done?.status === "completed")
      return { result: done.value as unknown as CreateResult, replayed: true };
    const result = await call();
    const value = JSON.parse(JSON.stringify(result)) as JsonValue;
    await this.#ledger.put(
      [
        {
          kind: "putLedger",
          runId: this.#ledger.options.runId,
          entries: [{ key, kind: "model", status: "completed", value }],
        },
      ],
      key,
      { status: "completed", value },
    );
    return { result, replayed: false };
  }

  async tool(
    call: FunctionCall,
    idempotent: boolean,
    run: () => Promise<FunctionExecutionResult>,
  ): Promise<FunctionExecutionResult> {
    const key = this.#key(`m${Math.max(0, this.#models - 1)}/${call.id}`);
    const runId = this.#ledger.options.runId;
    const seen = this.#ledger.entries.get(key);
    if (seen?.status === "completed") return seen.value as unknown as FunctionExecutionResult;
    // A call that stopped to wait for a person (an approval) never ran: it runs again, idempotent or not.
    const waited = (seen?.value as { awaitingInput?: unknown } | undefined)?.awaitingInput === true;
    if (seen?.status === "started" && !idempotent && !waited) {
      const result: FunctionExecutionResult = {
        content: INTERRUPTED,
        name: call.name,
        callId: call.id,
        isError: true,
      };
      const value = result as unknown as JsonValue;
      await this.#ledger.put(
        [{ kind: "putLedger", runId, entries: [{ key, kind: "tool", status: "completed", value }] }],
        key,
        { status: "completed", value },
      );
      return result;
    }
    if (seen === undefined) {
      await this.#ledger.put(
        [{ kind: "putLedger", runId, entries: [{ key, kind: "tool", status: "started" }] }],
        key,
        {
          status: "started",
          value: undefined,
        },
      );
    }
    let result: FunctionExecutionResult;
    try {
      result = await run();
    } catch (error) {
      if (InputRequiredError.isInstance(error) && !waited) {
        const mark = { awaitingInput: true } as JsonValue;
        await this.#ledger.put(
          [{ kind: "putLedger", runId, entries: [{ key, kind: "tool", status: "started", value: mark }] }],
          key,
          { status: "started", value: mark },
        );
      }
      throw error;
    }
    const value = JSON.parse(JSON.stringify(result)) as JsonValue;
    await this.#ledger.put(
      [{ kind: "putLedger", runId, entries: [{ key, kind: "tool", status: "completed", value }] }],
      key,
      { status: "completed", value },
    );
    return result;
  }

  readonly #requestIds = new Map<string, string>();

  nextRequestId(): string {
    const key = this.#key(`i${this.#inputs}`);
    let id = this.#requestIds.get(key);
    if (id === undefined) {
      const known = this.#ledger.entries.get(key)?.value as { requestId?: unknown } | undefined;
      id = typeof known?.requestId === "string" ? known.requestId : randomUuid();
      this.#requestIds.set(key, id);
    }
    return id;
  }

  async input(
    prompt: string,
    ask: (() => Promise<string>) | undefined,
    schema?: Record<string, JsonValue>,
  ): Promise<string> {
    return answerText(await this.#request(prompt, ask, schema));
  }

  async approval(
    prompt: string,
    ask: (() => Promise<ApprovalResponse>) | undefined,
  ): Promise<ApprovalResponse> {
    const verdict =
      ask === undefined ? undefined : async () => JSON.parse(JSON.stringify(await ask())) as JsonValue;
    return approvalFromAnswer(await this.#request(prompt, verdict, APPROVAL_SCHEMA));
  }

  /**
   * One question to a person: the recorded answer (asked before, answered since: never asked again), or
   * `ask()`'s when the run may ask now (recorded with the request, in one write), or else the request is
   * persisted and the run ends as `interrupted`.
   */
  async #request(
    prompt: string,
    ask: (() => Promise<JsonValue>) | undefined,
    schema: Record<string, JsonValue> | undefined,
  ): Promise<JsonValue> {
    const requestId = this.nextRequestId();
    const key = this.#key(`i${this.#inputs++}`);
    const { runId, answers, askNow } = this.#ledger.options;
    if (answers.has(requestId)) return answers.get(requestId) as JsonValue;
    const value = { requestId } as JsonValue;
    const request: StoreWrite[] = [
      { kind: "putLedger", runId, entries: [{ key, kind: "input", status: "started", value }] },
      { kind: "putInputRequest", runId, requestId, prompt, ...(schema === undefined ? {} : { schema }) },
    ];
    if (ask !== undefined && askNow) {
      const answer = await ask();
      await this.#ledger.put([...request, { kind: "answerInput", runId, requestId, value: answer }], key, {
        status: "started",
        value,
      });
      return answer;
    }
    await this.#ledger.put(request, key, { status: "started", value });
    throw new InputRequiredError(requestId, prompt);
  }
}

function answerText(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The root journal of a run. */
export function createJournal(options: JournalOptions): RunJournal {
  return new JournalScope(new Ledger(options), "", true);
}
