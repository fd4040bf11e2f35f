/**
 * "Test" for any component: a model client answers a prompt, a tool runs with the given arguments, a
 * termination condition is checked against a sample transcript, a workbench lists its tools, an agent or
 * a team runs a task. Each test has a time limit and returns what happened and a log; a failure is a
 * result with its message (the page shows it), not an error of the request.
 */
import {
  type BaseAgentMessage,
  isTaskResult,
  type TaskRunner,
  type TerminationCondition,
  TextMessage,
} from "@autogen-ts/agentchat";
import type {
  ChatCompletionClient,
  ComponentModel,
  JsonValue,
  LoadComponentOptions,
  Tool,
  Workbench,
} from "@autogen-ts/core";
import { loadComponent } from "@autogen-ts/ext/components";

/** What a test is given besides the component. */
export interface TestInput {
  /** A model client's prompt, an agent's or team's task. */
  readonly task?: string;
  /** A tool's arguments (from the form generated from its schema). */
  readonly arguments?: Record<string, unknown>;
  /** A termination's sample transcript. */
  readonly transcript?: readonly { readonly source: string; readonly content: string }[];
  /** Time limit in milliseconds (default 60 000, at most 600 000). */
  readonly timeoutMs?: number;
}

/** What a test found. */
export interface TestOutcome {
  readonly ok: boolean;
  /** What the component did: the reply, the tool's output, whether the condition fired, the messages. */
  readonly result?: JsonValue;
  readonly error?: { readonly code: string; readonly message: string };
  readonly log: string[];
}

const DEFAULT_TRANSCRIPT = [
  { source: "user", content: "What is 2 + 2?" },
  { source: "assistant", content: "2 + 2 = 4. TERMINATE" },
];

function errorOf(error: unknown, signal: AbortSignal, timeoutMs: number): TestOutcome["error"] {
  if (signal.aborted) return { code: "timeout", message: `The test took longer than ${timeoutMs} ms` };
  const code = (error as { code?: unknown })?.code;
  return {
    code: typeof code === "string" ? code : "internal",
    message: error instanceof Error ? error.message : String(error),
  };
}

function line(message: BaseAgentMessage): string {
  const content = (message as { content?: unknown }).content;
  const text = typeof content === "string" ? content : JSON.stringify(content);
  return `${message.source} (${message.type}): ${text}`;
}

async function testLoaded(
  type: string,
  value: unknown,
  input: TestInput,
  signal: AbortSignal,
  log: string[],
): Promise<JsonValue> {
  if (type === "model") {
    const client = value as ChatCompletionClient;
    const prompt = input.task ?? "Say hello in five words.";
    log.push(`user: ${prompt}`);
    const reply = await client.create([{ type: "UserMessage", content: prompt, source: "user" }], { signal });
    const text = typeof reply.content === "string" ? reply.content : JSON.stringify(reply.content);
    log.push(`model: ${text}`);
    return { content: text, usage: reply.usage as unknown as JsonValue, finishReason: reply.finishReason };
  }
  if (type === "tool") {
    const tool = value as Tool;
    const args = input.arguments ?? {};
    log.push(`call ${tool.name}(${JSON.stringify(args)})`);
    const result = await tool.call(args, { signal });
    const text = result.result.map((c) => ("text" in c ? c.text : `[${c.type}]`)).join("\n");
    log.push(`${result.isError ? "error" : "result"}: ${text}`);
    return { isError: result.isError, output: text };
  }
  if (type === "workbench") {
    const tools = await (value as Workbench).listTools({ signal });
    for (const t of tools) log.push(`tool ${t.name}: ${t.description ?? ""}`);
    return { tools: tools.map((t) => t.name) };
  }
  if (type === "termination") {
    const condition = value as TerminationCondition;
    const transcript = input.transcript ?? DEFAULT_TRANSCRIPT;
    // One message at a time, as a team checks after each message.
    for (const [i, m] of transcript.entries()) {
      log.push(`${m.source}: ${m.content}`);
      const stop = await condition.check([new TextMessage({ source: m.source, content: m.content })]);
      if (stop !== undefined) {
        log.push(`stopped after message ${i + 1}: ${stop.content}`);
        return { stopped: true, afterMessage: i + 1, reason: stop.content };
      }
    }
    log.push("did not stop");
    return { stopped: false };
  }
  const runner = value as TaskRunner;
  const task = input.task ?? "Say hello.";
  log.push(`task: ${task}`);
  let stopReason: string | undefined;
  const messages: JsonValue[] = [];
  for await (const item of runner.runStream({ task, signal })) {
    if (isTaskResult(item)) {
      stopReason = item.stopReason;
      continue;
    }
    if (item.type === "ModelClientStreamingChunkEvent") continue;
    log.push(line(item));
    messages.push(item.toJSON() as unknown as JsonValue);
  }
  if (stopReason !== undefined) log.push(`stop reason: ${stopReason}`);
  return { messages, ...(stopReason !== undefined ? { stopReason } : {}) };
}

/** Loads `component` for real (credentials read) and exercises it. */
export async function testComponent(
  component: ComponentModel,
  input: TestInput,
  options: LoadComponentOptions,
): Promise<TestOutcome> {
  const timeoutMs = Math.min(Math.max(1, input.timeoutMs ?? 60_000), 600_000);
  const signal = AbortSignal.timeout(timeoutMs);
  const log: string[] = [];
  const type = String(component.component_type ?? "");
  let value: unknown;
  try {
    value = await loadComponent(component, options);
    log.push(`loaded ${component.provider}`);
    const work = testLoaded(type, value, input, signal, log);
    // A component that ignores its signal still ends the test at the time limit.
    const limit = new Promise<never>((_, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
    );
    const result = await Promise.race([work, limit]);
    return { ok: true, result, log };
  } catch (error) {
    const failure = errorOf(error, signal, timeoutMs);
    log.push(`failed: ${failure?.message}`);
    return { ok: false, ...(failure ? { error: failure } : {}), log };
  } finally {
    await (value as { close?: () => Promise<void> } | undefined)?.close?.().catch(() => {});
    await (value as { stop?: () => Promise<void> } | undefined)?.stop?.().catch(() => {});
  }
}
