/**
 * The console view: renders the stream of a run (`runStream`) or of one agent turn (`onMessagesStream`)
 * as readable terminal text while it happens, and hands back the final result.
 *
 * It writes through a small {@link ConsoleOutput} (by default the process's stdout where there is one, else
 * `console.log`), so this module stays free of Node.js imports and runs in browsers and edge runtimes too.
 */
import { type RequestUsage, ValidationError } from "@autogen-ts/core";
import { isResponse, isTaskResult, type Response, type TaskResult } from "../base/index.js";
import type {
  BaseAgentMessage,
  HandoffMessage,
  ModelClientStreamingChunkEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
} from "../messages/index.js";

/** Where the console writes: anything with a `write(text)`, such as `process.stdout` or a test buffer. */
export interface ConsoleOutput {
  write(text: string): unknown;
  /** When true (a terminal), output is coloured unless `color: false` or `NO_COLOR` is set. */
  readonly isTTY?: boolean;
}

/** Options of {@link Console}. */
export interface ConsoleOptions {
  /** Where to write; `process.stdout` when present, else `console.log` (line by line). */
  output?: ConsoleOutput;
  /** Print token usage after each message and a summary at the end (default true). */
  outputStats?: boolean;
  /** Use ANSI colours; by default, when the output is a terminal and `NO_COLOR` is not set. */
  color?: boolean;
}

type Paint = (text: string) => string;
interface Palette {
  header: Paint;
  dim: Paint;
  tool: Paint;
  error: Paint;
  good: Paint;
}

const plain: Paint = (text) => text;
const ansi =
  (code: number): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;
const NO_COLORS: Palette = { header: plain, dim: plain, tool: plain, error: plain, good: plain };
const COLORS: Palette = { header: ansi(1), dim: ansi(2), tool: ansi(36), error: ansi(31), good: ansi(32) };

interface GlobalProcess {
  process?: { stdout?: ConsoleOutput; env?: Record<string, string | undefined> };
}

/** The process's stdout where there is one, else a writer that hands whole lines to `console.log`. */
function defaultOutput(): ConsoleOutput {
  const stdout = (globalThis as GlobalProcess).process?.stdout;
  if (stdout !== undefined && typeof stdout.write === "function") return stdout;
  return new ConsoleLogOutput();
}

/** Buffers partial lines (streamed tokens) because `console.log` always ends a line. */
class ConsoleLogOutput implements ConsoleOutput {
  private pending = "";

  write(text: string): void {
    const lines = (this.pending + text).split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) console.log(line);
  }

  flush(): void {
    if (this.pending !== "") console.log(this.pending);
    this.pending = "";
  }
}

/** Adds up token usage and cost across the messages of a run. */
class UsageTotals {
  promptTokens = 0;
  completionTokens = 0;
  cachedPromptTokens = 0;
  costUsd = 0;
  pricedCalls = 0;
  unpricedCalls = 0;

  add(usage: RequestUsage): void {
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
    this.cachedPromptTokens += usage.cachedPromptTokens ?? 0;
    if (usage.costUsd === undefined) this.unpricedCalls++;
    else {
      this.costUsd += usage.costUsd;
      this.pricedCalls++;
    }
  }
}

/** Headers of the events whose class name says less than a few words would. */
const EVENT_LABELS: Readonly<Record<string, string>> = {
  MemoryQueryEvent: "from memory",
  SelectSpeakerEvent: "next speaker",
  UserInputRequestedEvent: "waiting for input",
  CodeGenerationEvent: "code",
  CodeExecutionEvent: "code output",
};

/** A duration for people: milliseconds under a second (one decimal under ten), else seconds. */
function duration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Writes one run to the output, tracking whether the cursor is at the start of a line. */
class Renderer {
  private atLineStart = true;
  /**
   * The streamed tokens still waiting for their full message: source, text so far, and the message id they
   * belong to. Events (a thought, say) may come between the tokens and the message; they do not clear it.
   */
  private streaming: { source: string; text: string; fullMessageId: string | undefined } | undefined;
  /** Whether the cursor is inside the streamed run (no other output since its last token). */
  private streamOpen = false;
  readonly totals = new UsageTotals();
  private readonly startedAt = performance.now();
  private firstOutputMs: number | undefined;

  constructor(
    private readonly output: ConsoleOutput,
    private readonly paint: Palette,
    private readonly stats: boolean,
  ) {}

  private write(text: string): void {
    if (text === "") return;
    this.output.write(text);
    this.atLineStart = text.endsWith("\n");
  }

  /** Ends a line left open (by streamed tokens), so that what prints next starts on its own line. */
  endLine(): void {
    if (!this.atLineStart) this.write("\n");
  }

  private header(source: string, label: string): void {
    this.endLine();
    this.write(this.paint.header(`---------- ${source} · ${label} ----------`) + "\n");
  }

  private usageLine(usage: RequestUsage | undefined): void {
    if (usage === undefined) return;
    this.totals.add(usage);
    if (!this.stats) return;
    this.endLine();
    const cost = usage.costUsd === undefined ? "" : `, $${usage.costUsd.toFixed(4)}`;
    this.write(
      this.paint.dim(`[tokens: ${usage.promptTokens} prompt, ${usage.completionTokens} completion${cost}]`) +
        "\n",
    );
  }

  /** Renders one streamed item (a message or an event). */
  item(message: BaseAgentMessage): void {
    // Time to the first thing an agent (rather than the user's task) produced: the latency a person feels.
    if (message.source !== "user") this.firstOutputMs ??= performance.now() - this.startedAt;
    if (message.type === "ModelClientStreamingChunkEvent") {
      this.chunk(message as ModelClientStreamingChunkEvent);
      return;
    }
    this.streamOpen = false;
    if (message.kind === "chat") {
      const streamed = this.streaming;
      this.streaming = undefined;
      if (streamed !== undefined && this.completes(streamed, message)) {
        // The tokens are already on screen: end their line instead of printing the message again.
        this.endLine();
        this.usageLine(message.modelsUsage);
        return;
      }
    }
    switch (message.type) {
      case "ToolCallRequestEvent": {
        this.header(message.source, "tool calls");
        for (const call of (message as ToolCallRequestEvent).content) {
          this.write(this.paint.tool(`→ ${call.name}(${call.arguments})`) + "\n");
        }
        break;
      }
      case "ToolCallExecutionEvent": {
        this.header(message.source, "tool results");
        for (const result of (message as ToolCallExecutionEvent).content) {
          const line = `${result.isError ? "✗" : "←"} ${result.name}: ${result.content}`;
          this.write((result.isError ? this.paint.error(line) : this.paint.tool(line)) + "\n");
        }
        break;
      }
      case "HandoffMessage": {
        const handoff = message as HandoffMessage;
        this.header(message.source, `handoff to ${handoff.target}`);
        this.write(`${handoff.content}\n`);
        break;
      }
      case "ThoughtEvent":
        this.header(message.source, "thought");
        this.write(this.paint.dim(message.toText()) + "\n");
        break;
      default:
        this.header(message.source, EVENT_LABELS[message.type] ?? message.type);
        this.write(`${message.toText()}\n`);
    }
    this.usageLine(message.modelsUsage);
  }

  private chunk(event: ModelClientStreamingChunkEvent): void {
    const current = this.streaming;
    const sameRun =
      current !== undefined &&
      current.source === event.source &&
      current.fullMessageId === event.fullMessageId;
    if (!sameRun) this.streaming = { source: event.source, text: "", fullMessageId: event.fullMessageId };
    // A new run, or the same one resumed after an event was printed, gets a header.
    if (!sameRun || !this.streamOpen) this.header(event.source, "reply (streamed)");
    this.streamOpen = true;
    this.streaming!.text += event.content;
    this.write(event.content);
  }

  /** Whether `message` is the full form of the chunks just printed. */
  private completes(streamed: NonNullable<Renderer["streaming"]>, message: BaseAgentMessage): boolean {
    if (streamed.fullMessageId !== undefined) return streamed.fullMessageId === message.id;
    return streamed.source === message.source && streamed.text.trim() === message.toText().trim();
  }

  /** Renders the end of the run. */
  summary(stopReason: string | undefined, messageCount: number | undefined): void {
    this.endLine();
    if (!this.stats) return;
    const t = this.totals;
    const elapsed = performance.now() - this.startedAt;
    const lines = [this.paint.header("---------- summary ----------")];
    if (stopReason !== undefined) lines.push(`Stop reason: ${stopReason}`);
    if (messageCount !== undefined) lines.push(`Messages: ${messageCount}`);
    const cached = t.cachedPromptTokens > 0 ? ` (${t.cachedPromptTokens} cached)` : "";
    lines.push(`Tokens: ${t.promptTokens} prompt${cached}, ${t.completionTokens} completion`);
    if (t.pricedCalls > 0) {
      const partial =
        t.unpricedCalls > 0 ? ` (${t.unpricedCalls} call${t.unpricedCalls === 1 ? "" : "s"} unpriced)` : "";
      lines.push(`Cost: $${t.costUsd.toFixed(4)}${partial}`);
    }
    const first =
      this.firstOutputMs === undefined ? "" : `, first agent output after ${duration(this.firstOutputMs)}`;
    lines.push(`Time: ${duration(elapsed)}${first}`);
    this.write(lines.join("\n") + "\n");
  }
}

/**
 * Renders a run in the terminal as it happens and returns its {@link TaskResult}: streamed tokens as they
 * arrive (not printed again when the full message follows), tool calls and their results, handoffs and
 * thoughts, token usage per message, and a closing summary of the stop reason, tokens, cost (where the
 * model client priced the calls) and time.
 *
 * Given the stream of one agent turn (`onMessagesStream`), it returns the {@link Response} instead.
 *
 * @throws {@link ValidationError} when the stream ends without a `TaskResult` or `Response`; the stream's
 *   own errors (a cancelled run, say) pass through after the output is tidied up.
 *
 * @example
 * ```ts
 * const result = await Console(team.runStream({ task: "Write a haiku about Oslo" }));
 * ```
 */
export async function Console(
  stream: AsyncIterable<BaseAgentMessage | TaskResult>,
  options?: ConsoleOptions,
): Promise<TaskResult>;
export async function Console(
  stream: AsyncIterable<BaseAgentMessage | Response>,
  options?: ConsoleOptions,
): Promise<Response>;
export async function Console(
  stream: AsyncIterable<BaseAgentMessage | TaskResult | Response>,
  options: ConsoleOptions = {},
): Promise<TaskResult | Response> {
  const output = options.output ?? defaultOutput();
  const env = (globalThis as GlobalProcess).process?.env;
  const color = options.color ?? (output.isTTY === true && !env?.NO_COLOR);
  const renderer = new Renderer(output, color ? COLORS : NO_COLORS, options.outputStats ?? true);
  let final: TaskResult | Response | undefined;
  let count = 0;
  try {
    for await (const item of stream) {
      if (isTaskResult(item)) {
        final = item;
        renderer.summary(item.stopReason, item.messages.length);
      } else if (isResponse(item)) {
        final = item;
        // A stream that yielded nothing before its Response has not shown the inner messages yet.
        if (count === 0) for (const inner of item.innerMessages ?? []) renderer.item(inner);
        renderer.item(item.chatMessage);
        renderer.summary(undefined, undefined);
      } else {
        count++;
        renderer.item(item);
      }
    }
  } finally {
    // Also when the stream fails (a cancelled run): the error or the shell prompt starts on a fresh line.
    renderer.endLine();
    if (output instanceof ConsoleLogOutput) output.flush();
  }
  if (final === undefined) {
    throw new ValidationError(
      "Console: the stream ended without a TaskResult or a Response; pass it the stream of runStream() or onMessagesStream()",
    );
  }
  return final;
}
