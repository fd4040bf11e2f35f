/**
 * Middleware around tool calls: wrap a tool (`wrapTool`) or every tool of a workbench
 * (`wrapWorkbench`); a middleware may let the call through, answer in its place (an error result the
 * model reads), or stop the run by throwing. In a durable run the call's options carry the run journal's
 * scope for the call, so a middleware can ask a person durably (approval).
 */
import type { Tool, ToolCallOptions, ToolResult, ToolSchema, Workbench } from "@autogen-ts/core";
import type { RunJournal } from "../durable/journal.js";

/** The options a tool call gets from an agent: the journal scope of the call in a durable run. */
export interface GuardedToolCallOptions extends ToolCallOptions {
  readonly journal?: RunJournal;
}

/** One tool call as middleware sees it. */
export interface ToolCallRequest {
  readonly name: string;
  readonly args: string | Readonly<Record<string, unknown>>;
  readonly options: GuardedToolCallOptions;
}

/** Middleware around tool calls. */
export interface ToolMiddleware {
  readonly name: string;
  /** Wraps a call: call `next` (or not) and return its result (or another). */
  wrapCall(call: ToolCallRequest, next: (call: ToolCallRequest) => Promise<ToolResult>): Promise<ToolResult>;
}

/** The arguments of a call as an object (a model writes them as JSON text). */
export function callArguments(call: ToolCallRequest): Record<string, unknown> {
  if (typeof call.args !== "string") return { ...call.args };
  try {
    const value = JSON.parse(call.args) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A tool result the model reads as an error. */
export function errorResult(name: string, text: string): ToolResult {
  return { name, result: [{ type: "text", text }], isError: true };
}

function chain(
  middleware: readonly ToolMiddleware[],
  last: (call: ToolCallRequest) => Promise<ToolResult>,
): (call: ToolCallRequest) => Promise<ToolResult> {
  const at = (i: number, call: ToolCallRequest): Promise<ToolResult> => {
    const m = middleware[i];
    return m === undefined ? last(call) : m.wrapCall(call, (c) => at(i + 1, c));
  };
  return (call) => at(0, call);
}

/** A tool with middleware around its calls; name, schema and idempotence are the tool's. */
export class MiddlewareTool implements Tool {
  readonly #run: (call: ToolCallRequest) => Promise<ToolResult>;

  constructor(
    readonly inner: Tool,
    readonly middleware: readonly ToolMiddleware[],
  ) {
    this.#run = chain(middleware, (c) => inner.call(c.args, c.options));
  }

  get name(): string {
    return this.inner.name;
  }
  get description(): string {
    return this.inner.description;
  }
  get schema(): ToolSchema {
    return this.inner.schema;
  }
  get idempotent(): boolean | undefined {
    return this.inner.idempotent;
  }

  call(args: string | Readonly<Record<string, unknown>>, options: ToolCallOptions = {}): Promise<ToolResult> {
    return this.#run({ name: this.inner.name, args, options });
  }
}

/** Wraps a tool's calls with middleware (the first runs outermost). */
export function wrapTool(tool: Tool, middleware: readonly ToolMiddleware[]): MiddlewareTool {
  return new MiddlewareTool(tool, middleware);
}

/** A workbench whose every tool call goes through middleware. */
export class MiddlewareWorkbench implements Workbench {
  readonly #run: (call: ToolCallRequest) => Promise<ToolResult>;

  constructor(
    readonly inner: Workbench,
    readonly middleware: readonly ToolMiddleware[],
  ) {
    this.#run = chain(middleware, (c) => inner.callTool(c.name, c.args, c.options));
  }

  listTools(options?: { signal?: AbortSignal }): Promise<ToolSchema[]> {
    return this.inner.listTools(options);
  }

  callTool(
    name: string,
    args: string | Readonly<Record<string, unknown>>,
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    return this.#run({ name, args, options });
  }

  start(): Promise<void> {
    return this.inner.start();
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  reset(): Promise<void> {
    return this.inner.reset();
  }
  saveState(): Promise<Record<string, unknown>> {
    return this.inner.saveState();
  }
  loadState(state: Record<string, unknown>): Promise<void> {
    return this.inner.loadState(state);
  }
}

/** Wraps every tool call of a workbench with middleware. */
export function wrapWorkbench(
  workbench: Workbench,
  middleware: readonly ToolMiddleware[],
): MiddlewareWorkbench {
  return new MiddlewareWorkbench(workbench, middleware);
}
