/**
 * `FileSurfer`: an agent that answers questions about the files under a root directory by listing,
 * searching and reading them (PDF, DOCX and HTML as Markdown), and, when allowed, writing and editing.
 * It runs a tool loop on its model until the model answers in text.
 */
import type {
  AgentState,
  BaseAgentMessage,
  BaseChatMessage,
  CallOptions,
  Response,
} from "@autogen-ts/agentchat";
import { AssistantAgent, BaseChatAgent } from "@autogen-ts/agentchat";
import type { ChatCompletionClient, ChatCompletionContext } from "@autogen-ts/core";
import { createFileTools } from "../../tools/files/tools.js";

/** Options of {@link FileSurfer}. */
export interface FileSurferOptions {
  readonly name: string;
  readonly modelClient: ChatCompletionClient;
  /** The directory it may look in (and nothing outside it, links included). Default: the working directory. */
  readonly root?: string;
  readonly description?: string;
  /** Replaces the built-in instructions. */
  readonly systemMessage?: string;
  /** Let it write and edit files under the root (default false). */
  readonly allowWrite?: boolean;
  /** Most rounds of tool calls in one turn. Default 10. */
  readonly maxToolIterations?: number;
  readonly modelContext?: ChatCompletionContext;
}

const DEFAULT_DESCRIPTION =
  "An agent that can list, search and read local files (text, PDF, Word and HTML documents) to answer questions about them.";

function defaultSystemMessage(allowWrite: boolean): string {
  return [
    "You work with the files in one directory, using your tools. Paths are relative to that directory.",
    "Start with list_directory or search_files when you do not know where something is, then read_file the files that matter.",
    "Long files come in pages: read on with the offset the tool gives you when the answer may be further in.",
    allowWrite
      ? "You may create files with write_file and change them with edit_file; read a file before you edit it."
      : "You cannot change files.",
    "When you have what the task needs, answer in plain text, naming the files you used. If the files do not contain the answer, say so.",
  ].join("\n");
}

/**
 * A chat agent that works with local files.
 *
 * @example
 * ```ts
 * const surfer = new FileSurfer({ name: "file_surfer", modelClient, root: "./reports" });
 * const result = await surfer.run({ task: "What was the revenue in the 2024 report?" });
 * ```
 */
export class FileSurfer extends BaseChatAgent {
  /** The directory the agent works in. */
  readonly root: string;
  readonly #inner: AssistantAgent;

  constructor(options: FileSurferOptions) {
    super({ name: options.name, description: options.description ?? DEFAULT_DESCRIPTION });
    this.root = options.root ?? process.cwd();
    const allowWrite = options.allowWrite === true;
    this.#inner = new AssistantAgent({
      name: options.name,
      modelClient: options.modelClient,
      description: this.description,
      tools: createFileTools({ root: this.root, allowWrite }),
      systemMessage: options.systemMessage ?? defaultSystemMessage(allowWrite),
      maxToolIterations: options.maxToolIterations ?? 10,
      ...(options.modelContext ? { modelContext: options.modelContext } : {}),
    });
  }

  /** The model the agent uses. */
  get modelClient(): ChatCompletionClient {
    return this.#inner.modelClient;
  }

  get producedMessageTypes(): readonly string[] {
    return this.#inner.producedMessageTypes;
  }

  onMessages(messages: readonly BaseChatMessage[], options?: CallOptions): Promise<Response> {
    return this.#inner.onMessages(messages, options);
  }

  override onMessagesStream(
    messages: readonly BaseChatMessage[],
    options?: CallOptions,
  ): AsyncGenerator<BaseAgentMessage | Response> {
    return this.#inner.onMessagesStream(messages, options);
  }

  onReset(options?: CallOptions): Promise<void> {
    return this.#inner.onReset(options);
  }

  override saveState(): Promise<AgentState> {
    return this.#inner.saveState();
  }

  override loadState(state: unknown): Promise<void> {
    return this.#inner.loadState(state);
  }

  override close(): Promise<void> {
    return this.#inner.close();
  }
}
