/**
 * Reply functions, their triggers and hooks: the pieces `registerReply` and `registerHook` take.
 */
import type { CodeExecutor } from "@autogen-ts/core";
import type { ConversableAgent } from "./conversable-agent.js";
import type { ClassicMessage, MessageInput } from "./types.js";

/** What a reply function returns: whether the reply is final, and the reply (`null` ends the chat). */
export type ReplyFuncResult = readonly [final: boolean, reply: MessageInput | null | undefined];

/** Options a reply function receives besides AG2's four arguments. */
export interface ReplyFuncOptions {
  readonly signal?: AbortSignal;
}

/**
 * A reply function (AG2's `reply_func(recipient, messages, sender, config)`): `recipient` is the agent
 * replying, `messages` its conversation with `sender`, `config` what was registered with it.
 */
export type ReplyFunc = (
  recipient: ConversableAgent,
  messages: ClassicMessage[],
  sender: ConversableAgent | undefined,
  config: unknown,
  options: ReplyFuncOptions,
) => ReplyFuncResult | Promise<ReplyFuncResult>;

/** A class of agents, matched with `instanceof`. */
// biome-ignore lint/suspicious/noExplicitAny: a class trigger is any agent constructor, whatever its arguments.
export type AgentClass = abstract new (...args: any[]) => ConversableAgent;

/**
 * Which senders a reply function answers: `null`/`undefined` (no sender), a name, an agent, an agent class
 * (`ConversableAgent` matches every agent), a predicate, or a list of these (any of them).
 */
export type ReplyTrigger =
  | null
  | undefined
  | string
  | ConversableAgent
  | AgentClass
  | ((sender: ConversableAgent) => boolean)
  | readonly ReplyTrigger[];

/** Options of {@link ConversableAgent.registerReply}. */
export interface RegisterReplyOptions {
  /** Where it goes in the list: 0 (default) is tried first. */
  readonly position?: number;
  /** Passed to the function as `config`; copied back at `reset` unless `resetConfig` is given. */
  readonly config?: unknown;
  /** Called with `config` at `reset`. */
  readonly resetConfig?: (config: unknown) => void;
  /** Drop every other reply function first. */
  readonly removeOtherReplyFuncs?: boolean;
}

/** The hookable points (AG2's hook names, camelCased). */
export type HookName =
  | "processMessageBeforeSend"
  | "processLastReceivedMessage"
  | "processAllMessagesBeforeReply"
  | "updateAgentState";

/** Changes a message about to be sent. */
export type MessageBeforeSendHook = (
  sender: ConversableAgent,
  message: MessageInput,
  recipient: ConversableAgent,
  silent: boolean,
) => MessageInput;
/** Changes the text of the last received message before replying. */
export type LastReceivedMessageHook = (content: string) => string;
/** Sees the agent and the messages before a reply (to update the agent, its system message, ...). */
export type UpdateAgentStateHook = (agent: ConversableAgent, messages: readonly ClassicMessage[]) => void;
/** Changes the messages a reply is generated from. */
export type AllMessagesBeforeReplyHook = (messages: ClassicMessage[]) => ClassicMessage[];

/** Code execution settings: the executor (any core `CodeExecutor`) and how far back to look for code. */
export interface CodeExecutionConfig {
  /**
   * Runs the code: `LocalCommandLineCodeExecutor` or `DockerCommandLineCodeExecutor` from
   * `@autogen-ts/ext/code-executors/*`, or any other `CodeExecutor`. Without one, the executor registered
   * with `registerDefaultCodeExecutor` is used when code first needs to run.
   */
  readonly executor?: CodeExecutor;
  /** How many of the last messages to scan for code; `"auto"` (default): those since this agent spoke. */
  readonly lastNMessages?: number | "auto";
}
