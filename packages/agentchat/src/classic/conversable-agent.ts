/**
 * `ConversableAgent`, the classic (AutoGen 0.2 / AG2) agent: it keeps one conversation per peer, and
 * answers a received message by trying its reply functions in order until one gives a final reply.
 * Models, tools, code executors and spans are core's and agentchat's; only the conversation is classic.
 */

import type { ChatCompletionClient, FunctionCall, Tool, ToolSchema } from "@autogen-ts/core";
import { AutogenError, otel, randomUuid, ValidationError } from "@autogen-ts/core";
import type { TracerProvider } from "@opentelemetry/api";
import type { InputFunc } from "../agents/user-proxy-agent.js";
import { terminalInput } from "../agents/user-proxy-agent.js";
import type { AgentState } from "../base/types.js";
import { TextMessage } from "../messages/chat.js";
import { recordError, runInContext, startAgentSpan } from "../tracing/index.js";
import {
  checkTerminationAndHumanReply,
  generateCodeExecutionReply,
  generateFunctionCallReply,
  generateOaiReply,
  generateToolCallsReply,
} from "./builtin-replies.js";
import { type ChatOptions, type ChatQueueItem, initiateChat, initiateChatsFrom } from "./chat.js";
import { type ClassicFunction, executeFunctionCall, looseFunctionTool } from "./functions.js";
import { Hooks } from "./hooks.js";
import type { LlmConfig } from "./llm-config.js";
import {
  buildClients,
  checkLlmConfig,
  configSettings,
  isModelClient,
  redactLlmConfig,
} from "./llm-config.js";
import { toStoredMessage, trimHistory } from "./message-store.js";
import { callModels } from "./model-call.js";
import { toLlmMessages } from "./model-messages.js";
import { type NestedChatOptions, registerNestedChats } from "./nested-chats.js";
import type {
  CodeExecutionConfig,
  HookName,
  RegisterReplyOptions,
  ReplyFunc,
  ReplyTrigger,
} from "./reply-types.js";
import { loadAgentState, saveAgentState } from "./state.js";
import { checkTrigger, matchTrigger } from "./triggers.js";
import type { ChatResult, ClassicMessage, HumanInputMode, MessageInput, UsageSummary } from "./types.js";
import { contentText } from "./types.js";
import { summarizeUsage, type UsageRecord } from "./usage.js";

/** AG2's default system message of a `ConversableAgent`. */
export const DEFAULT_SYSTEM_MESSAGE = "You are a helpful AI Assistant.";
/** AG2's default limit of consecutive automatic replies to one sender. */
export const MAX_CONSECUTIVE_AUTO_REPLY = 100;

/** Options of {@link ConversableAgent}. */
export interface ConversableAgentOptions {
  /** The agent's name: how peers and group chats address it. */
  readonly name: string;
  /** The system message given to its model (default {@link DEFAULT_SYSTEM_MESSAGE}). */
  readonly systemMessage?: string;
  /** What others (a group chat's selector) read about it; defaults to the system message. */
  readonly description?: string;
  /** The model: `false` (none, the default), a `ChatCompletionClient`, or `{ configList: [...] }`. */
  readonly llmConfig?: LlmConfig | null;
  /** When to ask the person (default `"TERMINATE"`). */
  readonly humanInputMode?: HumanInputMode;
  /** Whether a received message ends the chat (default: its text is exactly `"TERMINATE"`). */
  readonly isTerminationMsg?: ((message: ClassicMessage) => boolean) | null;
  /** How many automatic replies in a row to one sender before asking or stopping (default 100). */
  readonly maxConsecutiveAutoReply?: number;
  /** `false` (default) or `{ executor, lastNMessages }`. */
  readonly codeExecutionConfig?: false | CodeExecutionConfig;
  /** The reply when no reply function gives one (default `""`). */
  readonly defaultAutoReply?: MessageInput;
  /** Functions this agent executes for tool calls, by name. */
  readonly functionMap?: Readonly<Record<string, ClassicFunction | Tool>>;
  /** Gets the person's input (default: a line from the terminal), as on agentchat's `UserProxyAgent`. */
  readonly inputFunc?: InputFunc;
  /** Earlier conversations to start from. */
  readonly chatMessages?: Map<ConversableAgent, ClassicMessage[]>;
  /** Receives a line for each message received and each code execution (default: nothing is printed). */
  readonly output?: (text: string) => void;
  /** Where spans go (default: the global tracer provider). */
  readonly tracerProvider?: TracerProvider;
}

interface ReplyEntry {
  readonly trigger: ReplyTrigger;
  readonly replyFunc: ReplyFunc;
  config: unknown;
  readonly initConfig: unknown;
  readonly resetConfig: ((config: unknown) => void) | undefined;
}

/** Options of {@link ConversableAgent.send} and {@link ConversableAgent.receive}. */
export interface SendOptions {
  /** `true`: the recipient replies; `false`: it does not; unset: it replies if its chat with the sender asks. */
  readonly requestReply?: boolean;
  /** Print nothing for this message. */
  readonly silent?: boolean;
  readonly signal?: AbortSignal;
}

/** Options of {@link ConversableAgent.generateReply}. */
export interface GenerateReplyOptions {
  /** The conversation to answer (default: the agent's conversation with `sender`). */
  readonly messages?: ClassicMessage[];
  readonly sender?: ConversableAgent;
  /** Reply functions to skip. */
  readonly exclude?: readonly ReplyFunc[];
  readonly signal?: AbortSignal;
}

function copyMessage(m: ClassicMessage): ClassicMessage {
  return structuredClone(m);
}

/**
 * The classic conversable agent.
 *
 * @example
 * ```ts
 * const assistant = new ConversableAgent({ name: "assistant", llmConfig: modelClient, humanInputMode: "NEVER" });
 * const user = new ConversableAgent({ name: "user", humanInputMode: "NEVER", maxConsecutiveAutoReply: 0 });
 * const result = await user.initiateChat(assistant, { message: "Tell me a joke." });
 * ```
 */
export class ConversableAgent {
  /** The agent's name. */
  readonly name: string;
  /** What others read about the agent. */
  description: string;
  /** When the agent asks its person. */
  humanInputMode: HumanInputMode;
  /** Receives the lines the agent prints, if set. */
  readonly output: ((text: string) => void) | undefined;
  /** Automatic replies in a row, per sender. */
  readonly consecutiveAutoReplyCounter = new Map<ConversableAgent | undefined, number>();
  /** Whether the agent replies when a sender's message arrives, per sender. */
  readonly replyAtReceive = new Map<ConversableAgent, boolean>();
  /** What the person typed, since the last chat that cleared history. */
  humanInput: string[] = [];
  /** Code execution settings, or `false`. */
  codeExecutionConfig: false | CodeExecutionConfig;
  #systemMessage: string;
  #llmConfig: LlmConfig;
  #clients: ChatCompletionClient[] | undefined;
  #tools: Tool[] = [];
  readonly #functionMap = new Map<string, Tool>();
  readonly #chatMessages: Map<ConversableAgent, ClassicMessage[]>;
  #pending = new Map<string, ClassicMessage[]>();
  #maxAutoReply: number;
  readonly #maxAutoReplyPerSender = new Map<ConversableAgent | undefined, number>();
  readonly #isTermination: (message: ClassicMessage) => boolean;
  readonly #defaultAutoReply: MessageInput;
  readonly #inputFunc: InputFunc;
  readonly #tracerProvider: TracerProvider | undefined;
  #replyFuncs: ReplyEntry[] = [];
  readonly #hooks = new Hooks();
  readonly #usage: UsageRecord[] = [];
  // Counters of a loaded state, applied by peer name when each peer next talks.
  #restored:
    | { consecutiveAutoReplyCounter: Record<string, number>; replyAtReceive: Record<string, boolean> }
    | undefined;

  constructor(options: ConversableAgentOptions) {
    if (typeof options?.name !== "string" || options.name === "") {
      throw new ValidationError("ConversableAgent: 'name' must be a non-empty string");
    }
    this.name = options.name;
    const owner = `ConversableAgent '${this.name}'`;
    const mode = options.humanInputMode ?? "TERMINATE";
    if (!["ALWAYS", "TERMINATE", "NEVER"].includes(mode)) {
      throw new ValidationError(`${owner}: humanInputMode must be "ALWAYS", "TERMINATE" or "NEVER"`);
    }
    this.humanInputMode = mode;
    this.#systemMessage = options.systemMessage ?? DEFAULT_SYSTEM_MESSAGE;
    this.description = options.description ?? this.#systemMessage;
    this.#llmConfig = checkLlmConfig(options.llmConfig, owner);
    const max = options.maxConsecutiveAutoReply ?? MAX_CONSECUTIVE_AUTO_REPLY;
    if (!Number.isInteger(max) || max < 0) {
      throw new ValidationError(`${owner}: maxConsecutiveAutoReply must be a non-negative integer`);
    }
    this.#maxAutoReply = max;
    this.#isTermination = options.isTerminationMsg ?? ((m) => contentText(m.content) === "TERMINATE");
    this.#defaultAutoReply = options.defaultAutoReply ?? "";
    const exec = options.codeExecutionConfig ?? false;
    if (exec !== false && (typeof exec !== "object" || exec === null)) {
      throw new ValidationError(`${owner}: codeExecutionConfig must be false or { executor, lastNMessages }`);
    }
    this.codeExecutionConfig = exec;
    if (options.inputFunc !== undefined && typeof options.inputFunc !== "function") {
      throw new ValidationError(`${owner}: 'inputFunc' must be a function`);
    }
    this.#inputFunc = options.inputFunc ?? ((prompt, signal) => terminalInput(prompt, signal));
    this.#chatMessages = options.chatMessages ?? new Map();
    this.output = options.output;
    this.#tracerProvider = options.tracerProvider;
    if (options.functionMap !== undefined) this.registerFunction(options.functionMap);
    // Registered last-first, each at position 0: the list ends up in AG2's order.
    this.registerReply([ConversableAgent, null], generateOaiReply);
    this.registerReply([ConversableAgent, null], generateCodeExecutionReply);
    this.registerReply([ConversableAgent, null], generateToolCallsReply);
    this.registerReply([ConversableAgent, null], generateFunctionCallReply);
    this.registerReply([ConversableAgent, null], checkTerminationAndHumanReply);
  }

  /** The system message. */
  get systemMessage(): string {
    return this.#systemMessage;
  }

  /** Replaces the system message. */
  updateSystemMessage(systemMessage: string): void {
    this.#systemMessage = systemMessage;
  }

  /** The model configuration, with API keys left out. */
  get llmConfig(): LlmConfig {
    return redactLlmConfig(this.#llmConfig);
  }

  /** True when the agent has a model to call. */
  get hasModel(): boolean {
    return this.#llmConfig !== false;
  }

  /** The conversations, per peer (mutable, as in AG2). */
  get chatMessages(): Map<ConversableAgent, ClassicMessage[]> {
    return this.#chatMessages;
  }

  /** The conversation with `peer`, made empty when there is none (picking up any loaded by name). */
  conversation(peer: ConversableAgent): ClassicMessage[] {
    let list = this.#chatMessages.get(peer);
    if (list === undefined) {
      list = this.#pending.get(peer.name) ?? [];
      this.#pending.delete(peer.name);
      this.#chatMessages.set(peer, list);
    }
    return list;
  }

  /** The messages a summary of the chat with `peer` reads. */
  chatMessagesForSummary(peer: ConversableAgent): ClassicMessage[] {
    return this.conversation(peer);
  }

  /** The tool schemas offered to the model. */
  get tools(): ToolSchema[] {
    return this.#tools.map((t) => t.schema);
  }

  /** The functions the agent executes, by name. */
  get functionMap(): ReadonlyMap<string, Tool> {
    return this.#functionMap;
  }

  /** Whether every named function is in the function map. */
  canExecuteFunction(names: string | readonly string[]): boolean {
    return (typeof names === "string" ? [names] : names).every((n) => this.#functionMap.has(n));
  }

  /** Whether `message` ends the chat for this agent. */
  isTerminationMsg(message: ClassicMessage): boolean {
    return this.#isTermination(message);
  }

  /** The limit of automatic replies in a row (to `sender`, when given). */
  maxConsecutiveAutoReply(sender?: ConversableAgent): number {
    return sender === undefined
      ? this.#maxAutoReply
      : (this.#maxAutoReplyPerSender.get(sender) ?? this.#maxAutoReply);
  }

  /** Sets the limit for `sender`, or (without one) for every sender. */
  updateMaxConsecutiveAutoReply(value: number, sender?: ConversableAgent): void {
    if (sender !== undefined) this.#maxAutoReplyPerSender.set(sender, value);
    else {
      this.#maxAutoReply = value;
      for (const key of this.#maxAutoReplyPerSender.keys()) this.#maxAutoReplyPerSender.set(key, value);
    }
  }

  /**
   * Adds a reply function, tried before those at higher positions.
   *
   * @throws {@link ValidationError} for a trigger of another kind.
   */
  registerReply(trigger: ReplyTrigger, replyFunc: ReplyFunc, options: RegisterReplyOptions = {}): void {
    checkTrigger(trigger);
    if (typeof replyFunc !== "function")
      throw new ValidationError(`${this.#owner}: replyFunc must be a function`);
    if (options.removeOtherReplyFuncs) this.#replyFuncs = [];
    const config = options.config;
    this.#replyFuncs.splice(options.position ?? 0, 0, {
      trigger,
      replyFunc,
      config,
      initConfig: config,
      resetConfig: options.resetConfig,
    });
  }

  /** The reply functions, in the order they are tried. */
  get replyFuncs(): readonly ReplyFunc[] {
    return this.#replyFuncs.map((e) => e.replyFunc);
  }

  /** Adds a hook at one of the hookable points. */
  registerHook(name: HookName, hook: (...args: never[]) => unknown): void {
    this.#hooks.register(name, hook, this.#owner);
  }

  /** Adds functions to the function map (`null` removes one): plain functions or core `Tool`s. */
  registerFunction(functionMap: Readonly<Record<string, ClassicFunction | Tool | null>>): void {
    for (const [name, fn] of Object.entries(functionMap)) {
      if (fn === null) this.#functionMap.delete(name);
      else this.#functionMap.set(name, typeof fn === "function" ? looseFunctionTool(name, fn) : fn);
    }
  }

  /** Lets the model call `tool` (AG2's `register_for_llm`); the agent needs a model. */
  registerForLlm(tool: Tool): void {
    if (!this.hasModel) {
      throw new ValidationError(
        `${this.#owner}: to offer a tool to the model, the agent must have an llmConfig`,
        {
          code: "invalid_config",
        },
      );
    }
    this.#tools = [...this.#tools.filter((t) => t.name !== tool.name), tool];
  }

  /** Removes a tool from those offered to the model. */
  removeToolForLlm(name: string): void {
    this.#tools = this.#tools.filter((t) => t.name !== name);
  }

  /** Executes calls to `tool` for others (AG2's `register_for_execution`). */
  registerForExecution(tool: Tool, name: string = tool.name): void {
    this.#functionMap.set(name, tool);
  }

  /** Runs a function call with the function map: `Error: ...` content for an unknown name or a failure. */
  executeFunction(
    call: Pick<FunctionCall, "name" | "arguments">,
    options: { readonly callId?: string; readonly signal?: AbortSignal } = {},
  ): Promise<{ success: boolean; message: ClassicMessage }> {
    return executeFunctionCall(this.#functionMap.get(call.name), call, {
      ...options,
      tracerProvider: this.#tracerProvider,
    });
  }

  /** Asks the person through the input function and records the answer in {@link humanInput}. */
  async getHumanInput(
    prompt: string,
    options: { readonly signal?: AbortSignal; readonly sender?: ConversableAgent } = {},
  ): Promise<string> {
    const received = options.sender === undefined ? [] : this.conversation(options.sender);
    const messages = received.map(
      (m) => new TextMessage({ source: m.name ?? m.role, content: contentText(m.content) }),
    );
    let answer: unknown;
    try {
      answer = await this.#inputFunc(prompt, options.signal, { requestId: randomUuid(), messages });
    } catch (error) {
      if (AutogenError.isInstance(error)) throw error;
      throw new AutogenError("internal", `${this.#owner} could not get the person's input`, { cause: error });
    }
    if (typeof answer !== "string")
      throw new ValidationError(`${this.#owner}: the input function returned no text`);
    this.humanInput.push(answer);
    return answer;
  }

  /**
   * Calls the model on a conversation (config-list entries in order) and records the usage; `systemMessage`
   * replaces the agent's own for this call.
   */
  async callModel(
    messages: readonly ClassicMessage[],
    options: { readonly signal?: AbortSignal; readonly systemMessage?: string } = {},
  ): Promise<MessageInput> {
    this.#clients ??= buildClients(this.#llmConfig, this.#owner);
    const config = this.#llmConfig;
    const system = options.systemMessage ?? this.#systemMessage;
    const { reply, record } = await callModels(this.#clients, toLlmMessages(system, messages), {
      agentName: this.name,
      tools: this.tools,
      settings: config === false || isModelClient(config) ? {} : configSettings(config),
      signal: options.signal,
      tracerProvider: this.#tracerProvider,
    });
    this.#usage.push(record);
    return reply;
  }

  /** Usage of every model call since the last reset, cached answers included. */
  getTotalUsage(): UsageSummary {
    return summarizeUsage(this.#usage, true);
  }

  /** Usage of the model calls that reached the provider. */
  getActualUsage(): UsageSummary {
    return summarizeUsage(this.#usage, false);
  }

  /** The raw usage records (model, usage, cached), for summaries across agents. */
  get usageRecords(): readonly UsageRecord[] {
    return this.#usage;
  }

  /** Sends `message` to `recipient`, which stores it and (per `requestReply`) replies. */
  async send(message: MessageInput, recipient: ConversableAgent, options: SendOptions = {}): Promise<void> {
    const processed = this.#hooks.beforeSend(this, message, recipient, options.silent ?? false);
    if (!this.#append(processed, "assistant", recipient, true)) throw this.#invalidMessage(processed);
    await recipient.receive(processed, this, options);
  }

  /** Stores a message from `sender` and, per `requestReply` and the chat's settings, replies to it. */
  async receive(message: MessageInput, sender: ConversableAgent, options: SendOptions = {}): Promise<void> {
    if (!this.#append(message, "user", sender, false)) throw this.#invalidMessage(message);
    if (!options.silent)
      this.output?.(`${sender.name} (to ${this.name}):\n${contentText(this.lastMessage(sender)?.content)}`);
    const { requestReply } = options;
    if (requestReply === false || (requestReply === undefined && this.replyAtReceive.get(sender) !== true))
      return;
    const reply = await this.generateReply({ sender, signal: options.signal });
    if (reply !== null) await this.send(reply, sender, { silent: options.silent, signal: options.signal });
  }

  /**
   * The reply to a conversation: the first final reply of the reply functions whose trigger matches the
   * sender, or the default auto-reply. `null` means the chat ends.
   */
  async generateReply(options: GenerateReplyOptions = {}): Promise<MessageInput | null> {
    const { sender, signal } = options;
    if (options.messages === undefined && sender === undefined) {
      throw new ValidationError(`${this.#owner}: generateReply needs messages or a sender`);
    }
    let messages = options.messages ?? this.conversation(sender as ConversableAgent);
    messages = this.#hooks.beforeReply(this, messages);
    const scope = startAgentSpan(this, otel.active(), this.#tracerProvider);
    try {
      return await runInContext(scope.context, async () => {
        for (const entry of [...this.#replyFuncs]) {
          if (options.exclude?.includes(entry.replyFunc)) continue;
          if (!matchTrigger(entry.trigger, sender)) continue;
          const [final, reply] = await entry.replyFunc(this, messages, sender, entry.config, { signal });
          if (final) return reply ?? null;
        }
        return this.#defaultAutoReply;
      });
    } catch (error) {
      recordError(scope.span, error);
      throw error;
    } finally {
      scope.span.end();
    }
  }

  /** The last message with `peer`; without one, of the only conversation (none: undefined). */
  lastMessage(peer?: ConversableAgent): ClassicMessage | undefined {
    if (peer === undefined) {
      if (this.#chatMessages.size === 0) return undefined;
      if (this.#chatMessages.size > 1) {
        throw new ValidationError(
          `${this.#owner}: more than one conversation is found; say which agent's last message`,
        );
      }
      return [...this.#chatMessages.values()][0]?.at(-1);
    }
    const list = this.#chatMessages.get(peer) ?? this.#pending.get(peer.name);
    if (list === undefined) {
      throw new ValidationError(`${this.#owner}: there is no conversation with '${peer.name}'`, {
        details: { peer: peer.name },
      });
    }
    return list.at(-1);
  }

  /** Clears the history with `peer` (all, without one), keeping the last `preserve` messages if given. */
  clearHistory(peer?: ConversableAgent, preserve?: number): void {
    const keep = (list: ClassicMessage[]) => trimHistory(list, preserve);
    if (peer === undefined) {
      for (const list of this.#chatMessages.values()) keep(list);
      this.#pending.clear();
    } else keep(this.conversation(peer));
  }

  /** Resets the automatic-reply count for `sender` (all, without one). */
  resetConsecutiveAutoReplyCounter(sender?: ConversableAgent): void {
    if (sender === undefined) this.consecutiveAutoReplyCounter.clear();
    else this.consecutiveAutoReplyCounter.set(sender, 0);
  }

  /** Stops replying at receive to `sender` (all, without one). */
  stopReplyAtReceive(sender?: ConversableAgent): void {
    if (sender === undefined) this.replyAtReceive.clear();
    else this.replyAtReceive.set(sender, false);
  }

  /** Forgets every conversation, count and usage record, and resets the reply functions' configs. */
  reset(): void {
    this.clearHistory();
    this.resetConsecutiveAutoReplyCounter();
    this.stopReplyAtReceive();
    this.humanInput = [];
    this.#usage.length = 0;
    for (const entry of this.#replyFuncs) {
      if (entry.resetConfig !== undefined) entry.resetConfig(entry.config);
      else entry.config = entry.initConfig;
    }
  }

  /** Readies a chat with `recipient` (and, by default, the recipient's side). */
  prepareChat(
    recipient: ConversableAgent,
    clearHistory: boolean,
    prepareRecipient = true,
    replyAtReceive = true,
  ): void {
    this.resetConsecutiveAutoReplyCounter(recipient);
    this.replyAtReceive.set(recipient, replyAtReceive);
    if (clearHistory) {
      this.clearHistory(recipient);
      this.humanInput = [];
    }
    if (prepareRecipient) recipient.prepareChat(this, clearHistory, false, replyAtReceive);
  }

  /** Starts a chat with `recipient` and returns its history, summary, cost and human input. */
  initiateChat(recipient: ConversableAgent, options: ChatOptions = {}): Promise<ChatResult> {
    return initiateChat(this, recipient, options);
  }

  /** Runs chats one after another, each carrying the summaries of those before it; this agent sends. */
  initiateChats(chatQueue: readonly Omit<ChatQueueItem, "sender">[]): Promise<ChatResult[]> {
    return initiateChatsFrom(chatQueue.map((c) => ({ ...c, sender: this })));
  }

  /** Answers messages matching `trigger` by running a queue of chats and replying with the last summary. */
  registerNestedChats(chatQueue: readonly ChatQueueItem[], options: NestedChatOptions): void {
    registerNestedChats(this, chatQueue, options);
  }

  /** The agent's conversations, counters and human input as a JSON-safe document. */
  async saveState(): Promise<AgentState> {
    return saveAgentState(this, this.#maxAutoReply, this.#maxAutoReplyPerSender);
  }

  /** Restores a snapshot; conversations are matched to peers by name when they next talk. */
  async loadState(state: unknown): Promise<void> {
    const doc = loadAgentState(state, this.#owner);
    this.#chatMessages.clear();
    this.#pending = new Map(Object.entries(doc.chatMessages).map(([k, v]) => [k, v.map(copyMessage)]));
    this.consecutiveAutoReplyCounter.clear();
    this.replyAtReceive.clear();
    this.#maxAutoReply = doc.maxConsecutiveAutoReply;
    this.humanInput = [...doc.humanInput];
    this.#systemMessage = doc.systemMessage;
    this.#restored = doc;
  }

  get #owner(): string {
    return `ConversableAgent '${this.name}'`;
  }

  #invalidMessage(message: MessageInput): ValidationError {
    const details = { keys: typeof message === "string" ? [] : Object.keys(message) };
    return new ValidationError(`${this.#owner}: give the message content, toolCalls or functionCall`, {
      details,
    });
  }

  /** AG2's `_append_oai_message`: stores a message in the conversation with `peer` in the right role. */
  #append(message: MessageInput, role: string, peer: ConversableAgent, isSending: boolean): boolean {
    const stored = toStoredMessage(message, role, isSending ? this.name : peer.name);
    if (stored === undefined) return false;
    this.conversation(peer).push(stored);
    this.#applyRestoredCounters(peer);
    return true;
  }

  #applyRestoredCounters(peer: ConversableAgent): void {
    const restored = this.#restored;
    if (restored === undefined) return;
    const count = restored.consecutiveAutoReplyCounter[peer.name];
    if (count !== undefined && !this.consecutiveAutoReplyCounter.has(peer))
      this.consecutiveAutoReplyCounter.set(peer, count);
    const reply = restored.replyAtReceive[peer.name];
    if (reply !== undefined && !this.replyAtReceive.has(peer)) this.replyAtReceive.set(peer, reply);
  }
}
