/**
 * The reply functions every `ConversableAgent` starts with, in AG2's order: termination and human input,
 * legacy function calls, tool calls, code execution, then the model. Each returns `[final, reply]`.
 */
import type { CodeBlock, CodeExecutor } from "@autogen-ts/core";
import { extractMarkdownCodeBlocks, ValidationError } from "@autogen-ts/core";
import type { CodeExecutionConfig, ReplyFunc } from "./reply-types.js";
import type { ClassicMessage, ToolResponse } from "./types.js";
import { contentText } from "./types.js";

let defaultExecutorFactory: (() => CodeExecutor) | undefined;
let defaultExecutor: CodeExecutor | undefined;

/**
 * Registers the executor an agent uses when its `codeExecutionConfig` names none (AG2's default local
 * execution; agentchat cannot import ext's executors itself). The factory runs once, at the first code to
 * run. Returns a function that removes it.
 */
export function registerDefaultCodeExecutor(factory: () => CodeExecutor): () => void {
  if (typeof factory !== "function") {
    throw new ValidationError("registerDefaultCodeExecutor: the factory must be a function");
  }
  defaultExecutorFactory = factory;
  defaultExecutor = undefined;
  return () => {
    if (defaultExecutorFactory === factory) {
      defaultExecutorFactory = undefined;
      defaultExecutor = undefined;
    }
  };
}

function executorFor(config: CodeExecutionConfig, owner: string): CodeExecutor {
  if (config.executor !== undefined) return config.executor;
  if (defaultExecutorFactory !== undefined) {
    defaultExecutor ??= defaultExecutorFactory();
    return defaultExecutor;
  }
  throw new ValidationError(
    `${owner}: code was found but codeExecutionConfig has no executor and no default is registered: pass ` +
      "{ executor } (LocalCommandLineCodeExecutor from @autogen-ts/ext/code-executors/local, say) or call " +
      "registerDefaultCodeExecutor",
    { code: "invalid_config" },
  );
}

/** AG2's `check_termination_and_human_reply`: asks the person when the mode says so; may end the chat. */
export const checkTerminationAndHumanReply: ReplyFunc = async (
  agent,
  messages,
  sender,
  _config,
  { signal },
) => {
  const message = messages.at(-1);
  if (message === undefined) return [false, null];
  const senderName = sender?.name ?? "the sender";
  const max = agent.maxConsecutiveAutoReply(sender);
  const counter = agent.consecutiveAutoReplyCounter.get(sender) ?? 0;
  let reply = "";
  const ask = (prompt: string) => agent.getHumanInput(prompt, { signal, sender });
  if (agent.humanInputMode === "ALWAYS") {
    reply = await ask(
      `Replying as ${agent.name}. Give feedback to ${senderName}: press enter to use the auto-reply, ` +
        "or type 'exit' to end the conversation: ",
    );
    if (reply === "" && agent.isTerminationMsg(message)) reply = "exit";
  } else if (counter >= max) {
    if (agent.humanInputMode === "NEVER") reply = "exit";
    else {
      const terminate = agent.isTerminationMsg(message);
      reply = await ask(
        terminate
          ? `Give feedback to ${senderName}: press enter or type 'exit' to stop the conversation: `
          : `Give feedback to ${senderName}: press enter to use the auto-reply, or type 'exit' to stop the conversation: `,
      );
      if (reply === "" && terminate) reply = "exit";
    }
  } else if (agent.isTerminationMsg(message)) {
    if (agent.humanInputMode === "NEVER") reply = "exit";
    else {
      reply = await ask(
        `Give feedback to ${senderName}: press enter or type 'exit' to stop the conversation: `,
      );
      if (reply === "") reply = "exit";
    }
  }
  if (reply === "exit") {
    agent.consecutiveAutoReplyCounter.set(sender, 0);
    return [true, null];
  }
  if (reply !== "" || max === 0) {
    // The person answered instead of the tools the model asked for: each call gets "USER INTERRUPTED".
    const interrupted: ToolResponse[] = (message.toolCalls ?? []).map((call) => ({
      toolCallId: call.id,
      role: "tool",
      content: "USER INTERRUPTED",
    }));
    agent.consecutiveAutoReplyCounter.set(sender, 0);
    return [
      true,
      interrupted.length > 0
        ? { role: "user", content: reply, toolResponses: interrupted }
        : { role: "user", content: reply },
    ];
  }
  agent.consecutiveAutoReplyCounter.set(sender, counter + 1);
  return [false, null];
};

/** AG2's `generate_function_call_reply`: runs a legacy `functionCall` with the agent's function map. */
export const generateFunctionCallReply: ReplyFunc = async (agent, messages, _sender, _config, { signal }) => {
  const call = messages.at(-1)?.functionCall;
  if (call === undefined) return [false, null];
  const result = await agent.executeFunction(call, { signal });
  return [true, result.message];
};

/** AG2's `generate_tool_calls_reply`: runs each tool call of the last message, one `tool` reply for all. */
export const generateToolCallsReply: ReplyFunc = async (agent, messages, _sender, _config, { signal }) => {
  const calls = messages.at(-1)?.toolCalls ?? [];
  if (calls.length === 0) return [false, null];
  const responses: ToolResponse[] = [];
  for (const call of calls) {
    const { message } = await agent.executeFunction(call, { callId: call.id, signal });
    responses.push({ toolCallId: call.id, role: "tool", content: contentText(message.content) });
  }
  return [
    true,
    { role: "tool", toolResponses: responses, content: responses.map((r) => r.content).join("\n\n") },
  ];
};

/** The messages to scan for code: the last `n`, or (`"auto"`) those received since the agent last spoke. */
export function messagesToScan(
  messages: readonly ClassicMessage[],
  lastN: unknown,
): readonly ClassicMessage[] {
  if (lastN !== "auto" && !(typeof lastN === "number" && Number.isInteger(lastN) && lastN >= 0)) {
    throw new ValidationError("codeExecutionConfig.lastNMessages must be a non-negative integer or 'auto'", {
      code: "invalid_config",
      details: { lastNMessages: lastN },
    });
  }
  let n = 0;
  if (lastN === "auto") {
    for (let i = messages.length - 1; i >= 0 && messages[i]?.role === "user"; i--) n++;
  } else n = lastN as number;
  return n === 0 ? [] : messages.slice(-Math.min(n, messages.length));
}

/** The code blocks of a message; a fence without a language is taken as Python, as AG2 infers. */
function codeBlocksOf(message: ClassicMessage): CodeBlock[] {
  const text = contentText(message.content);
  if (text === "") return [];
  return extractMarkdownCodeBlocks(text).map((b) => (b.language === "" ? { ...b, language: "python" } : b));
}

/**
 * AG2's code execution reply: runs the code blocks of the newest message (within `lastNMessages`) that
 * has any, on the configured executor, and answers with the exit code and output.
 */
export const generateCodeExecutionReply: ReplyFunc = async (agent, messages, _sender, config, { signal }) => {
  const settings = (config ?? agent.codeExecutionConfig) as CodeExecutionConfig | false;
  if (settings === false) return [false, null];
  const scan = messagesToScan(messages, settings.lastNMessages ?? "auto");
  for (let i = scan.length - 1; i >= 0; i--) {
    const blocks = codeBlocksOf(scan[i] as ClassicMessage);
    if (blocks.length === 0) continue;
    const executor = executorFor(settings, `ConversableAgent '${agent.name}'`);
    agent.output?.(
      `>>>>>>>> EXECUTING ${blocks.length} CODE BLOCK(S) (${blocks.map((b) => b.language).join(", ")})`,
    );
    const result = await executor.executeCodeBlocks(blocks, { signal });
    const verdict = result.exitCode === 0 ? "execution succeeded" : "execution failed";
    return [true, `exitcode: ${result.exitCode} (${verdict})\nCode output: ${result.output}`];
  }
  return [false, null];
};

/** AG2's `generate_oai_reply`: the model's answer to the conversation, when the agent has a model. */
export const generateOaiReply: ReplyFunc = async (agent, messages, _sender, _config, { signal }) => {
  if (!agent.hasModel) return [false, null];
  const reply = await agent.callModel(messages, { signal });
  return reply === null ? [false, null] : [true, reply];
};
