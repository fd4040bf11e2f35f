/**
 * Input and output guardrails on a team or an agent: `withGuardrails(team, { input, output })` checks
 * the task before the run and every chat message an agent says as it streams out. A guardrail allows,
 * rewrites (the task the team gets; the message the caller and the result get) or stops the run with a
 * {@link GuardrailError} that carries the run's messages so far. A guardrail that stops inside the run
 * (a model or tool middleware) surfaces as the same error, with the messages, not wrapped by the team.
 *
 * The result is the same object seen through a proxy: state, reset, close and the rest are the team's,
 * so it runs under a `DurableRunner`, and a stopped run continues like any other (`run()` without a
 * task, or `DurableRunner.resume`).
 */
import { taskMessages } from "../agents/base-chat-agent.js";
import type { RunOptions, TaskResult, TaskRunner } from "../base/types.js";
import { isTaskResult } from "../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { TextMessage } from "../messages/chat.js";
import { findGuardrailError, GuardrailError, type GuardrailStage } from "./errors.js";
import type { TextGuardrail } from "./types.js";

/** Options of {@link withGuardrails}. */
export interface RunGuardrailsOptions {
  /** Checked on the task's text, in order, before the run starts. */
  readonly input?: readonly TextGuardrail[];
  /** Checked on every chat message an agent says (not the task's), in order, as it streams out. */
  readonly output?: readonly TextGuardrail[];
}

/**
 * What a guarded runner reports as its constructor, so that component dumps find the guarded team's
 * definition (and durable definitions name it). Never constructed.
 */
export abstract class GuardedRunner {}

const GUARDED = new WeakMap<object, { inner: TaskRunner; options: RunGuardrailsOptions }>();

/** The runner and guardrails behind a {@link withGuardrails} proxy, or undefined. */
export function guardrailsOf(
  value: unknown,
): { inner: TaskRunner; options: RunGuardrailsOptions } | undefined {
  return typeof value === "object" && value !== null ? GUARDED.get(value) : undefined;
}

/** Runs text through guardrails: the text to use, or a {@link GuardrailError}. */
export async function applyGuardrails(
  guardrails: readonly TextGuardrail[],
  text: string,
  stage: GuardrailStage,
  source: string | undefined,
  signal: AbortSignal | undefined,
): Promise<{ text: string; rewritten: boolean }> {
  let current = text;
  let rewritten = false;
  for (const g of guardrails) {
    const verdict = await g.check(current, {
      stage,
      ...(source === undefined ? {} : { source }),
      ...(signal === undefined ? {} : { signal }),
    });
    if (verdict.action === "stop") throw new GuardrailError(g.name, stage, verdict.reason);
    if (verdict.action === "rewrite") {
      current = verdict.text;
      rewritten = true;
    }
  }
  return { text: current, rewritten };
}

async function guardTask(options: RunOptions, input: readonly TextGuardrail[]): Promise<RunOptions> {
  if (input.length === 0 || options.task === undefined) return options;
  const messages = taskMessages(options.task);
  const out: BaseChatMessage[] = [];
  let changed = false;
  for (const m of messages) {
    const { text, rewritten } = await applyGuardrails(
      input,
      m.toModelText(),
      "input",
      m.source,
      options.signal,
    );
    if (rewritten) {
      changed = true;
      out.push(new TextMessage({ source: m.source, content: text, metadata: m.metadata }));
    } else out.push(m);
  }
  if (!changed) return options;
  return { ...options, task: typeof options.task === "string" ? (out[0] as TextMessage).content : out };
}

async function* guardedStream(
  inner: TaskRunner,
  options: RunOptions,
  guardrails: RunGuardrailsOptions,
): AsyncGenerator<BaseAgentMessage | TaskResult> {
  const seen: BaseAgentMessage[] = [];
  const replaced = new Map<string, BaseAgentMessage>();
  try {
    const runOptions = await guardTask(options, guardrails.input ?? []);
    for await (const item of inner.runStream(runOptions)) {
      if (isTaskResult(item)) {
        yield replaced.size === 0
          ? item
          : { ...item, messages: item.messages.map((m) => replaced.get(m.id) ?? m) };
        continue;
      }
      let out: BaseAgentMessage = item;
      const output = guardrails.output ?? [];
      if (output.length > 0 && item.kind === "chat" && item.source !== "user") {
        const chat = item as BaseChatMessage;
        const { text, rewritten } = await applyGuardrails(
          output,
          chat.toModelText(),
          "output",
          chat.source,
          options.signal,
        );
        if (rewritten) {
          out = new TextMessage({
            source: chat.source,
            content: text,
            metadata: chat.metadata,
            ...(chat.modelsUsage === undefined ? {} : { modelsUsage: chat.modelsUsage }),
          });
          replaced.set(chat.id, out);
        }
      }
      seen.push(out);
      yield out;
    }
  } catch (error) {
    const stop = findGuardrailError(error);
    if (stop === undefined) throw error;
    // The run's messages so far travel with the error, whichever layer stopped it.
    stop.messages = [...seen];
    throw stop;
  }
}

/**
 * A team or agent with input and output guardrails (see the module comment).
 *
 * @example
 * ```ts
 * const guarded = withGuardrails(team, { input: [piiGuardrail()], output: [moderationGuardrail({ check })] });
 * await guarded.run({ task: "..." });
 * ```
 */
export function withGuardrails<T extends TaskRunner>(runner: T, options: RunGuardrailsOptions): T {
  const runStream = (o: RunOptions = {}) => guardedStream(runner, o, options);
  const run = async (o: RunOptions = {}): Promise<TaskResult> => {
    let result: TaskResult | undefined;
    for await (const item of runStream(o)) if (isTaskResult(item)) result = item;
    return result as TaskResult;
  };
  const proxy = new Proxy(runner, {
    get(target, prop) {
      if (prop === "runStream") return runStream;
      if (prop === "run") return run;
      if (prop === "constructor") return GuardedRunner;
      const value = Reflect.get(target, prop, target) as unknown;
      // Methods run on the target itself (its private fields are not the proxy's).
      return typeof value === "function" && prop !== "constructor"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  GUARDED.set(proxy, { inner: runner, options });
  return proxy;
}
