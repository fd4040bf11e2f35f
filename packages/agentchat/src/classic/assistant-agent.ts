/**
 * The classic `AssistantAgent`: a `ConversableAgent` with a model and a system message that has it solve
 * tasks by writing code for a user proxy to run, and say TERMINATE when done. It never asks a person.
 */
import { ConversableAgent, type ConversableAgentOptions } from "./conversable-agent.js";

/**
 * The default system message: AutoGen's instructions for a coding assistant (plan, write complete code in
 * fenced blocks for the user to run, read the results and fix errors, say TERMINATE at the end), worded
 * for this project.
 */
export const DEFAULT_ASSISTANT_SYSTEM_MESSAGE = `You are a helpful AI assistant.
Solve tasks using your coding and language skills.
When you need information (browse the web, read files, print the time or the operating system, look at installed packages), write code that prints it; once you have printed enough, solve the task with your language skills.
When the task needs code run, write the code for the user to execute: Python in a \`\`\`python block, shell scripts in a \`\`\`sh block. The user runs your code as given and cannot change it, so give complete programs, never partial code or code the user must edit. To have code saved to a file before it runs, put "# filename: <name>" as its first line.
Write one code block per reply, and print the results you need rather than asking the user to copy them.
If the result shows an error, fix it and send the whole corrected code again. If the error cannot be fixed, or the task is still not solved after the code ran, look again at your assumptions, gather what you are missing, and try another way.
When you find an answer, check it carefully, and give evidence where you can.
Reply "TERMINATE" at the end when everything is done.`;

/** The default description, read by group chats. */
export const DEFAULT_ASSISTANT_DESCRIPTION =
  "A helpful, general-purpose AI assistant with strong language skills, Python skills and Linux command line skills.";

/** Options of {@link AssistantAgent}: those of `ConversableAgent`, with the assistant's defaults. */
export type AssistantAgentOptions = ConversableAgentOptions;

/**
 * The classic assistant: `humanInputMode: "NEVER"`, no code execution, {@link DEFAULT_ASSISTANT_SYSTEM_MESSAGE}.
 *
 * @example
 * ```ts
 * const assistant = new AssistantAgent({ name: "assistant", llmConfig: { configList: [{ model: "gpt-4o" }] } });
 * ```
 */
export class AssistantAgent extends ConversableAgent {
  constructor(options: AssistantAgentOptions) {
    super({
      ...options,
      systemMessage: options.systemMessage ?? DEFAULT_ASSISTANT_SYSTEM_MESSAGE,
      humanInputMode: options.humanInputMode ?? "NEVER",
      codeExecutionConfig: options.codeExecutionConfig ?? false,
      description:
        options.description ??
        (options.systemMessage === undefined ? DEFAULT_ASSISTANT_DESCRIPTION : undefined),
    });
  }
}
