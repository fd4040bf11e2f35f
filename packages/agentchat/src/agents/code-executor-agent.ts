/**
 * `CodeExecutorAgent`: runs the code blocks in the messages it receives and replies with the result. With
 * a model client it also writes the code: it asks the model for code that does the task, runs it, shows
 * the model any error and lets it try again, up to `maxRetriesOnError` times.
 */
import type {
  ApprovalFunc,
  ChatCompletionClient,
  CodeBlock,
  CodeExecutor,
  CodeResult,
  LLMMessage,
  RequestUsage,
} from "@autogen-ts/core";
import {
  AutogenError,
  addUsage,
  approvalRequestFor,
  canonicalLanguage,
  emptyUsage,
  extractMarkdownCodeBlocks,
  throwIfAborted,
  ValidationError,
} from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, Response } from "../base/types.js";
import { drainResponse } from "../base/types.js";
import type { RunJournal } from "../durable/journal.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { TextMessage } from "../messages/chat.js";
import { CodeExecutionEvent, CodeGenerationEvent } from "../messages/events.js";
import { BaseChatAgent, type BaseChatAgentOptions } from "./base-chat-agent.js";

/** Options of {@link CodeExecutorAgent}. */
export interface CodeExecutorAgentOptions extends BaseChatAgentOptions {
  /** Runs the code. */
  readonly codeExecutor: CodeExecutor;
  /** When given, the agent writes code for the task itself, runs it, and retries on errors. */
  readonly modelClient?: ChatCompletionClient;
  /** The model's instructions (a default explains how to write runnable code blocks). */
  readonly systemMessage?: string;
  /** How many times the model may fix and rerun code that failed (default 0: one attempt). */
  readonly maxRetriesOnError?: number;
  /**
   * After the last run, ask the model once more to answer from the results (default true; needs
   * `modelClient`). With false, the reply is the execution result itself.
   */
  readonly reflectOnResult?: boolean;
  /** Run only code in these languages (default: the executor's `supportedLanguages`). */
  readonly supportedLanguages?: readonly string[];
  /** Run code only from messages by these sources (default: every source). */
  readonly sources?: readonly string[];
  /**
   * A gate that sees the code before it runs; a refusal becomes the agent's reply, with the reason. In a
   * durable run each approval is a persisted request the run waits on instead (answered with `resume`),
   * which this function answers only when the run may ask now (`askInput`).
   */
  readonly approvalFunc?: ApprovalFunc;
}

/** The saved form of a {@link CodeExecutorAgent}: its model conversation. */
export interface CodeExecutorAgentState extends AgentState {
  readonly type: "CodeExecutorAgentState";
  readonly version: 1;
  readonly history: readonly LLMMessage[];
}

const DEFAULT_SYSTEM_MESSAGE =
  "You solve tasks by writing code that is run for you. Reply with exactly one fenced markdown code block " +
  "(```python, ```sh, ...) holding a complete program; print every result you need to see, because only " +
  "printed output comes back. You will see the program's output, or its error; if it fails, reply with a " +
  "corrected complete program. Do not ask the user to run or edit anything.";

const NO_CODE =
  "No code blocks found in the thread. Send at least one markdown code block in a language I run.";

/** The text a model and a team read for a code result. */
export function describeCodeResult(result: CodeResult): string {
  if (result.approved === false) return result.output;
  const files =
    result.files !== undefined && result.files.length > 0
      ? `\nFiles written: ${result.files.join(", ")}`
      : "";
  if (result.exitCode === 0) {
    const output =
      result.output === "" ? "The code ran and printed nothing." : result.output.replace(/\n$/, "");
    return `${output}${files}`;
  }
  const why =
    result.timedOut === true ? "ran out of time" : `exited with an error (exit code ${result.exitCode})`;
  return `The code ${why}. Its output was:\n${result.output.replace(/\n$/, "")}${files}`;
}

/**
 * Runs code blocks for a team, or writes and runs code for a task.
 *
 * @example
 * ```ts
 * // Runs the code an assistant writes, in a sandbox.
 * const executor = new CodeExecutorAgent({
 *   name: "executor",
 *   codeExecutor: new LocalCommandLineCodeExecutor({ sandbox: true }),
 * });
 * // Writes code for a task itself, with up to two fixes after errors.
 * const coder = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient, maxRetriesOnError: 2 });
 * ```
 */
export class CodeExecutorAgent extends BaseChatAgent {
  /** The executor that runs the code. */
  readonly codeExecutor: CodeExecutor;
  /** The canonical names of the languages this agent runs. */
  readonly supportedLanguages: readonly string[];
  readonly #options: CodeExecutorAgentOptions;
  readonly #maxRetries: number;
  #history: LLMMessage[] = [];

  constructor(options: CodeExecutorAgentOptions) {
    super({
      ...options,
      description:
        options.description ??
        (options.modelClient === undefined
          ? "Runs the code blocks in the messages it receives and reports their output."
          : "Writes and runs code to solve tasks, and reports the results."),
    });
    if (typeof options.codeExecutor?.executeCodeBlocks !== "function") {
      throw new ValidationError(`CodeExecutorAgent '${this.name}' needs a 'codeExecutor'`);
    }
    const retries = options.maxRetriesOnError ?? 0;
    if (!(Number.isInteger(retries) && retries >= 0)) {
      throw new ValidationError(`maxRetriesOnError must be a whole number of at least 0, not ${retries}`);
    }
    this.codeExecutor = options.codeExecutor;
    this.supportedLanguages = (options.supportedLanguages ?? options.codeExecutor.supportedLanguages).map(
      canonicalLanguage,
    );
    if (this.supportedLanguages.length === 0) {
      throw new ValidationError(`CodeExecutorAgent '${this.name}' supports no language`);
    }
    this.#options = options;
    this.#maxRetries = retries;
  }

  /** The options this agent was built with (read-only; for dumping it as a component). */
  get options(): Readonly<CodeExecutorAgentOptions> {
    return this.#options;
  }

  /** The agent replies with text. */
  get producedMessageTypes(): readonly string[] {
    return ["TextMessage"];
  }

  /** Handles the messages and returns the reply; the events are in `innerMessages`. */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return drainResponse(
      this.onMessagesStream(messages, options),
      () => new AutogenError("internal", "onMessagesStream ended without a response"),
    );
  }

  /** Runs or writes code, yielding `CodeGenerationEvent`s and `CodeExecutionEvent`s, then the reply. */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const { signal, journal } = options;
    throwIfAborted(signal);
    const relevant = messages.filter((m) => this.#options.sources?.includes(m.source) ?? true);
    if (this.#options.modelClient === undefined) {
      yield* this.#runGiven(relevant, signal, journal);
      return;
    }
    for (const message of messages) this.#history.push(message.toModelMessage());
    yield* this.#writeAndRun(this.#options.modelClient, signal, journal);
  }

  /** Without a model: run the code blocks the messages hold. */
  async *#runGiven(
    messages: readonly BaseChatMessage[],
    signal: AbortSignal | undefined,
    journal: RunJournal | undefined,
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const blocks = messages.flatMap((m) => this.#blocksIn(m.toModelText()));
    if (blocks.length === 0) {
      yield { chatMessage: new TextMessage({ source: this.name, content: NO_CODE }) };
      return;
    }
    const result = await this.#execute(blocks, signal, journal);
    yield new CodeExecutionEvent({
      source: this.name,
      result: { exitCode: result.exitCode, output: result.output },
    });
    yield { chatMessage: new TextMessage({ source: this.name, content: describeCodeResult(result) }) };
  }

  /** With a model: write code, run it, show the model errors and let it retry, then answer. */
  async *#writeAndRun(
    client: ChatCompletionClient,
    signal: AbortSignal | undefined,
    journal: RunJournal | undefined,
  ): AsyncGenerator<BaseAgentMessage | Response> {
    // In a durable run the model's answers come from the journal when the turn is replayed, so the code
    // (and the approval asked for it) is the same as before the interruption.
    const create = async (messages: LLMMessage[]) => {
      const call = () => client.create(messages, signal ? { signal } : {});
      return journal === undefined ? call() : (await journal.model(call)).result;
    };
    const system: LLMMessage = {
      type: "SystemMessage",
      content: this.#options.systemMessage ?? DEFAULT_SYSTEM_MESSAGE,
    };
    let usage: RequestUsage = emptyUsage();
    let last: { reply: string; result?: CodeResult } | undefined;
    for (let attempt = 0; attempt <= this.#maxRetries; attempt++) {
      const completion = await create([system, ...this.#history]);
      usage = addUsage(usage, completion.usage);
      const reply = typeof completion.content === "string" ? completion.content : "";
      this.#history.push({ type: "AssistantMessage", content: reply, source: this.name });
      const blocks = this.#blocksIn(reply);
      yield new CodeGenerationEvent({
        source: this.name,
        content: reply,
        codeBlocks: blocks,
        retryAttempt: attempt,
        modelsUsage: completion.usage,
      });
      if (blocks.length === 0) {
        // The model answered without code: that is its reply.
        yield { chatMessage: new TextMessage({ source: this.name, content: reply, modelsUsage: usage }) };
        return;
      }
      const result = await this.#execute(blocks, signal, journal);
      yield new CodeExecutionEvent({
        source: this.name,
        result: { exitCode: result.exitCode, output: result.output },
        retryAttempt: attempt,
      });
      const described = describeCodeResult(result);
      this.#history.push({
        type: "UserMessage",
        content: `Execution result:\n${described}`,
        source: this.name,
      });
      last = { reply, result };
      if (result.approved === false) {
        // A refusal is final: the team (or person) decides what happens next.
        yield { chatMessage: new TextMessage({ source: this.name, content: described, modelsUsage: usage }) };
        return;
      }
      if (result.exitCode === 0) break;
    }
    const result = last?.result;
    if (this.#options.reflectOnResult === false || result === undefined) {
      const content = result === undefined ? (last?.reply ?? "") : describeCodeResult(result);
      yield { chatMessage: new TextMessage({ source: this.name, content, modelsUsage: usage }) };
      return;
    }
    const instruction =
      result.exitCode === 0
        ? "The code ran. Answer the task from its output, briefly, without writing more code."
        : "The code still fails and no attempts are left. Say briefly what went wrong, without writing more code.";
    const reflection = await create([
      system,
      ...this.#history,
      { type: "UserMessage", content: instruction, source: "user" },
    ]);
    usage = addUsage(usage, reflection.usage);
    const answer = typeof reflection.content === "string" ? reflection.content : describeCodeResult(result);
    this.#history.push({ type: "AssistantMessage", content: answer, source: this.name });
    yield { chatMessage: new TextMessage({ source: this.name, content: answer, modelsUsage: usage }) };
  }

  #blocksIn(text: string): CodeBlock[] {
    return extractMarkdownCodeBlocks(text).filter((block) =>
      this.supportedLanguages.includes(canonicalLanguage(block.language)),
    );
  }

  /** Asks the approval gate, then runs the blocks; a refusal is a result with `approved: false`. */
  async #execute(
    blocks: readonly CodeBlock[],
    signal: AbortSignal | undefined,
    journal: RunJournal | undefined,
  ): Promise<CodeResult> {
    const gate = this.#options.approvalFunc;
    if (gate !== undefined) {
      const request = approvalRequestFor(blocks);
      const ask = async () => gate(request, signal ? { signal } : {});
      const verdict =
        journal === undefined
          ? await ask()
          : await journal.approval(`Approve running this code?\n${request.code}`, ask);
      throwIfAborted(signal);
      if (!verdict.approved) {
        return {
          exitCode: 1,
          output: `Code execution was not approved. Reason: ${verdict.reason}`,
          approved: false,
        };
      }
    }
    return this.codeExecutor.executeCodeBlocks(blocks, signal ? { signal } : {});
  }

  /** Forgets the model conversation. */
  async onReset(): Promise<void> {
    this.#history = [];
  }

  /** The model conversation, as JSON. */
  override async saveState(): Promise<CodeExecutorAgentState> {
    return { type: "CodeExecutorAgentState", version: 1, history: structuredClone(this.#history) };
  }

  /** Restores a conversation saved by {@link saveState}. */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, "CodeExecutorAgentState", 1, `Agent '${this.name}'`);
    if (!Array.isArray(doc.history)) {
      throw new ValidationError(`Agent '${this.name}': the saved history is not a list`, {
        code: "invalid_state",
      });
    }
    this.#history = structuredClone(doc.history as LLMMessage[]);
  }
}
