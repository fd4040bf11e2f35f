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
} from "@autogen-ts/core";
import {
  approvalRequestFor,
  canonicalLanguage,
  extractMarkdownCodeBlocks,
  ModelError,
  throwIfAborted,
  ValidationError,
} from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, Response } from "../base/types.js";
import { drainResponse } from "../base/types.js";
import type { RunJournal } from "../durable/journal.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { HandoffMessage, TextMessage } from "../messages/chat.js";
import { CodeExecutionEvent, CodeGenerationEvent, ThoughtEvent } from "../messages/events.js";
import { removeImages } from "../utils/remove-images.js";
import { BaseChatAgent, type BaseChatAgentOptions } from "./base-chat-agent.js";
import { askRetryDecision, retryAnnouncement } from "./code-retry.js";

/** Options of {@link CodeExecutorAgent}. */
export interface CodeExecutorAgentOptions extends BaseChatAgentOptions {
  /** Runs the code. */
  readonly codeExecutor: CodeExecutor;
  /** When given, the agent writes code for the task itself, runs it, and retries on errors. */
  readonly modelClient?: ChatCompletionClient;
  /** The model's instructions (default: AutoGen's, on writing ```python and ```sh blocks); `null` for none. */
  readonly systemMessage?: string | null;
  /** How many times the model may fix and rerun code that failed (default 0: one attempt). */
  readonly maxRetriesOnError?: number;
  /**
   * After the last run, ask the model once more to answer from the results, as AutoGen always does (default
   * true; needs `modelClient`). With false, the reply is the execution result itself.
   */
  readonly reflectOnResult?: boolean;
  /** Run only code in these languages (default: the executor's `supportedLanguages`). */
  readonly supportedLanguages?: readonly string[];
  /** Run code only from messages by these sources (default: every source). */
  readonly sources?: readonly string[];
  /** A gate that sees the code before it runs; a refusal becomes the agent's reply, with the reason. */
  readonly approvalFunc?: ApprovalFunc;
}

/** The saved form of a {@link CodeExecutorAgent}: its model conversation. */
export interface CodeExecutorAgentState extends AgentState {
  readonly type: "CodeExecutorAgentState";
  readonly version: 1;
  readonly history: readonly LLMMessage[];
}

// AutoGen's texts (CodeExecutorAgent.DEFAULT_SYSTEM_MESSAGE and the rest): models and programs ported from
// AutoGen read and compare them.
const DEFAULT_SYSTEM_MESSAGE =
  "You are a Code Execution Agent. Your role is to generate and execute Python code and shell scripts based " +
  "on user instructions, ensuring correctness, efficiency, and minimal errors. Handle edge cases gracefully. " +
  "Python code should be provided in ```python code blocks, and sh shell scripts should be provided in ```sh " +
  "code blocks for execution.";
const DEFAULT_TERMINAL_DESCRIPTION =
  "A computer terminal that performs no other action than running Python scripts (provided to it quoted in " +
  "```python code blocks), or sh shell scripts (provided to it quoted in ```sh code blocks).";
const DEFAULT_AGENT_DESCRIPTION =
  "A Code Execution Agent that generates and executes Python and shell scripts based on user instructions. " +
  "It ensures correctness, efficiency, and minimal errors while gracefully handling edge cases.";
const NO_CODE =
  "No code blocks found in the thread. Please provide at least one markdown-encoded code block to execute " +
  "(i.e., quoting code in ```python or ```sh code blocks).";

/**
 * The text a model and a team read for a code result, in AutoGen's words: the output itself; or, for a run
 * that printed nothing or failed, what happened and the POSIX exit code. A refusal reads as its reason.
 */
export function describeCodeResult(result: CodeResult): string {
  if (result.approved === false) return result.output;
  const files =
    result.files !== undefined && result.files.length > 0
      ? `\nFiles written: ${result.files.join(", ")}`
      : "";
  if (result.output.trim() === "") {
    return (
      `The script ran but produced no output to console. The POSIX exit code was: ${result.exitCode}. ` +
      `If you were expecting output, consider revising the script to ensure content is printed to stdout.${files}`
    );
  }
  if (result.exitCode !== 0) {
    return `The script ran, then exited with an error (POSIX exit code: ${result.exitCode})\nIts output was:\n${result.output}${files}`;
  }
  return `${result.output}${files}`;
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
        (options.modelClient === undefined ? DEFAULT_TERMINAL_DESCRIPTION : DEFAULT_AGENT_DESCRIPTION),
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
    return drainResponse(this.onMessagesStream(messages, options));
  }

  /** Runs or writes code, yielding `CodeGenerationEvent`s and `CodeExecutionEvent`s, then the reply. */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const { signal, journal } = options;
    throwIfAborted(signal);
    if (this.#options.modelClient === undefined) {
      yield* this.#runGiven(messages, signal, journal);
      return;
    }
    for (const message of messages) {
      if (message instanceof HandoffMessage) this.#history.push(...message.context);
      this.#history.push(message.toModelMessage());
    }
    // In a durable run the model's answers come from the journal when the turn is replayed, so the code
    // (and the approval asked for it) is the same as before the interruption.
    const client =
      journal === undefined ? this.#options.modelClient : journaled(this.#options.modelClient, journal);
    yield* this.#writeAndRun(client, signal, journal);
  }

  /** Without a model: run the code blocks the messages hold; the reply is the result (AutoGen yields no event). */
  async *#runGiven(
    messages: readonly BaseChatMessage[],
    signal: AbortSignal | undefined,
    journal: RunJournal | undefined,
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const blocks = this.extractCodeBlocksFromMessages(messages);
    if (blocks.length === 0) {
      yield { chatMessage: new TextMessage({ source: this.name, content: NO_CODE }) };
      return;
    }
    const result = await this.executeCodeBlock(blocks, {
      ...(signal ? { signal } : {}),
      ...(journal ? { journal } : {}),
    });
    yield { chatMessage: new TextMessage({ source: this.name, content: result.output }) };
  }

  /**
   * With a model, AutoGen's loop: write code, run it; after a failure with retries left, ask the model
   * whether to retry (and why) before it writes new code; at the end answer from the results.
   */
  async *#writeAndRun(
    client: ChatCompletionClient,
    signal: AbortSignal | undefined,
    journal: RunJournal | undefined,
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const system: LLMMessage[] =
      this.#options.systemMessage === null
        ? []
        : [{ type: "SystemMessage", content: this.#options.systemMessage ?? DEFAULT_SYSTEM_MESSAGE }];
    const callOptions = signal ? { signal } : {};
    const view = (messages: LLMMessage[]) => (client.modelInfo.vision ? messages : removeImages(messages));
    let last: CodeResult | undefined;
    for (let attempt = 0; attempt <= this.#maxRetries; attempt++) {
      const completion = await client.create(view([...system, ...this.#history]), callOptions);
      if (completion.thought) yield new ThoughtEvent({ source: this.name, content: completion.thought });
      const reply = typeof completion.content === "string" ? completion.content : "";
      this.#history.push(
        completion.thought
          ? { type: "AssistantMessage", content: reply, thought: completion.thought, source: this.name }
          : { type: "AssistantMessage", content: reply, source: this.name },
      );
      const blocks = this.#blocksIn(reply);
      if (blocks.length === 0) {
        // The model answered without code: that is its reply.
        yield {
          chatMessage: new TextMessage({ source: this.name, content: reply, modelsUsage: completion.usage }),
        };
        return;
      }
      yield new CodeGenerationEvent({
        source: this.name,
        content: reply,
        codeBlocks: blocks,
        retryAttempt: attempt,
        modelsUsage: completion.usage,
      });
      const result = await this.executeCodeBlock(blocks, { ...callOptions, ...(journal ? { journal } : {}) });
      this.#history.push({ type: "UserMessage", content: result.output, source: this.name });
      yield new CodeExecutionEvent({
        source: this.name,
        result: { exitCode: result.exitCode, output: result.output },
        retryAttempt: attempt,
      });
      last = result;
      if (result.approved === false) {
        // A refusal is final: the team (or person) decides what happens next, not the model (a deliberate
        // difference: AutoGen lets the model rewrite refused code).
        yield { chatMessage: new TextMessage({ source: this.name, content: result.output }) };
        return;
      }
      if (result.exitCode === 0 || attempt === this.#maxRetries) break;
      const { decision } = await askRetryDecision(this.name, client, this.#history, result.output, signal);
      if (!decision.retry) break;
      yield new CodeGenerationEvent({
        source: this.name,
        content: retryAnnouncement(attempt + 1, decision.reason),
        codeBlocks: [],
        retryAttempt: attempt,
      });
    }
    if (this.#options.reflectOnResult === false) {
      yield { chatMessage: new TextMessage({ source: this.name, content: last?.output ?? "" }) };
      return;
    }
    const reflection = await client.create(view([...system, ...this.#history]), callOptions);
    if (typeof reflection.content !== "string") {
      throw new ModelError(
        "model_output",
        `CodeExecutorAgent '${this.name}': reflecting on the code results produced no text`,
      );
    }
    if (reflection.thought) yield new ThoughtEvent({ source: this.name, content: reflection.thought });
    this.#history.push(
      reflection.thought
        ? {
            type: "AssistantMessage",
            content: reflection.content,
            thought: reflection.thought,
            source: this.name,
          }
        : { type: "AssistantMessage", content: reflection.content, source: this.name },
    );
    yield {
      chatMessage: new TextMessage({
        source: this.name,
        content: reflection.content,
        modelsUsage: reflection.usage,
      }),
    };
  }

  /** The code blocks in the messages, in languages this agent runs, from the sources it trusts. */
  extractCodeBlocksFromMessages(messages: readonly BaseChatMessage[]): CodeBlock[] {
    return messages
      .filter((m) => this.#options.sources?.includes(m.source) ?? true)
      .flatMap((m) => this.#blocksIn(m.toModelText()));
  }

  #blocksIn(text: string): CodeBlock[] {
    return extractMarkdownCodeBlocks(text).filter((block) =>
      this.supportedLanguages.includes(canonicalLanguage(block.language)),
    );
  }

  /**
   * AutoGen's `execute_code_block`: asks the approval gate (showing it the code and the conversation), runs
   * the blocks, and gives the result with its `output` as the model reads it ({@link describeCodeResult}).
   * A refusal is a result with `approved: false`, exit code 1 and "Code execution was not approved. Reason: ...".
   */
  async executeCodeBlock(
    blocks: readonly CodeBlock[],
    options: { readonly signal?: AbortSignal; readonly journal?: RunJournal } = {},
  ): Promise<CodeResult> {
    const { signal, journal } = options;
    const gate = this.#options.approvalFunc;
    if (gate !== undefined) {
      const request = approvalRequestFor(blocks, [...this.#history]);
      const ask = async () => gate(request, signal ? { signal } : {});
      // In a durable run the approval is a persisted request: asked once, answered in any process.
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
    const result = await this.codeExecutor.executeCodeBlocks(blocks, signal ? { signal } : {});
    return { ...result, output: describeCodeResult(result) };
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

/** A client whose `create` calls go through the run's journal (asked once; replayed on resume). */
function journaled(client: ChatCompletionClient, journal: RunJournal): ChatCompletionClient {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "create") {
        return async (...args: Parameters<ChatCompletionClient["create"]>) =>
          (await journal.model(() => target.create(...args))).result;
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
