/**
 * The classic `UserProxyAgent`: stands in for a person. It asks the person on every reply by default,
 * runs the code blocks it receives, executes function calls, and has no model unless given one.
 */
import { ConversableAgent, type ConversableAgentOptions } from "./conversable-agent.js";
import type { HumanInputMode } from "./types.js";

/** The default description per human input mode, read by group chats. */
export const DEFAULT_USER_PROXY_DESCRIPTIONS: Readonly<Record<HumanInputMode, string>> = {
  ALWAYS:
    "An attentive human user who can answer questions about the task and can run Python code or Linux " +
    "terminal commands and report back the results.",
  TERMINATE: "A user who can run Python code or Linux terminal commands and report back the results.",
  NEVER:
    "A computer terminal that does nothing but run the Python programs (in ```python blocks) and sh " +
    "scripts (in ```sh blocks) it is given, and report their output.",
};

/** Options of {@link UserProxyAgent}: those of `ConversableAgent`, with the proxy's defaults. */
export type UserProxyAgentOptions = ConversableAgentOptions;

/**
 * The classic user proxy: `humanInputMode: "ALWAYS"`, code execution on (`{}`: the executor given, or the
 * one registered with `registerDefaultCodeExecutor`), `llmConfig: false`, an empty system message.
 *
 * @example
 * ```ts
 * const user = new UserProxyAgent({
 *   name: "user",
 *   humanInputMode: "NEVER",
 *   codeExecutionConfig: { executor: new LocalCommandLineCodeExecutor() },
 *   isTerminationMsg: (m) => String(m.content ?? "").trimEnd().endsWith("TERMINATE"),
 * });
 * ```
 */
export class UserProxyAgent extends ConversableAgent {
  constructor(options: UserProxyAgentOptions) {
    const mode = options.humanInputMode ?? "ALWAYS";
    super({
      ...options,
      humanInputMode: mode,
      systemMessage: options.systemMessage ?? "",
      codeExecutionConfig: options.codeExecutionConfig ?? {},
      llmConfig: options.llmConfig ?? false,
      description: options.description ?? DEFAULT_USER_PROXY_DESCRIPTIONS[mode],
    });
  }
}
