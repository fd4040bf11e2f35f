/**
 * `TaskRunnerTool`: a tool that runs an agent or a team on a task given by the model, and
 * {@link AgentTool}, its agent form. A team tool is the same code with a team as the runner.
 */
import type { Tool, ToolCallOptions, ToolResult, ToolSchema } from "@autogen-ts/core";
import { AutogenError, CancelledError, ValidationError } from "@autogen-ts/core";
import type { ChatAgent, RunOptions, TaskResult, TaskRunner } from "../base/types.js";
import { isTaskResult } from "../base/types.js";
import { isChatMessage } from "../messages/base.js";

/** Options of {@link TaskRunnerTool}. */
export interface TaskRunnerToolOptions {
  /** The agent or team that does the work. */
  readonly runner: TaskRunner;
  /** The tool's name: letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** What the runner does; the calling model reads it. */
  readonly description: string;
  /**
   * Return only the text of the run's last message (default false: every chat message of the run but the
   * user's, as `source: text` paragraphs, as AutoGen returns them).
   */
  readonly returnValueAsLastMessage?: boolean;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The text a {@link TaskRunnerTool} returns for a finished run. */
export function taskResultText(result: TaskResult, lastOnly: boolean): string {
  const chat = result.messages.filter(isChatMessage);
  if (lastOnly) return chat.at(-1)?.toModelText() ?? "";
  // The task (the user's messages) is what the caller sent; it is not repeated back.
  return chat
    .filter((m) => m.source !== "user")
    .map((m) => `${m.source}: ${m.toModelText()}`)
    .join("\n\n");
}

/** Runs the task through `runStream`, handing each message to `onEvent` as it comes, and returns the result. */
async function streamRun(
  runner: TaskRunner,
  options: RunOptions,
  onEvent: (event: unknown) => void,
): Promise<TaskResult> {
  let result: TaskResult | undefined;
  for await (const item of runner.runStream(options)) {
    if (isTaskResult(item)) result = item;
    else onEvent(item);
  }
  if (result === undefined) throw new AutogenError("internal", "The run's stream ended without a result");
  return result;
}

/**
 * A tool that runs a {@link TaskRunner} (an agent or a team) on the `task` argument and returns what it
 * produced. Called with `onEvent` (as an `AssistantAgent` calls it), it streams the inner run's messages
 * there as they happen, so they appear in the caller's stream, as AutoGen's stream tools do. A failed run is an error result for the calling model; cancellation rejects.
 */
export class TaskRunnerTool implements Tool {
  /** The tool's name. */
  readonly name: string;
  /** What it does. */
  readonly description: string;
  /** The schema given to the model: one string argument, `task`. */
  readonly schema: ToolSchema;
  /** The agent or team that does the work. */
  readonly runner: TaskRunner;
  readonly #lastOnly: boolean;

  constructor(options: TaskRunnerToolOptions) {
    if (typeof options?.runner?.run !== "function")
      throw new ValidationError("A task-runner tool needs a 'runner'");
    if (typeof options.name !== "string" || !TOOL_NAME.test(options.name)) {
      throw new ValidationError(
        `Tool name "${options.name}" is not valid: use 1 to 64 letters, digits, "_" or "-"`,
      );
    }
    this.runner = options.runner;
    this.name = options.name;
    this.description = options.description;
    this.#lastOnly = options.returnValueAsLastMessage ?? false;
    this.schema = {
      name: this.name,
      description: this.description,
      parameters: {
        type: "object",
        properties: { task: { type: "string", description: "The task to perform." } },
        required: ["task"],
        additionalProperties: false,
      },
      strict: true,
    };
  }

  /** Runs the task; bad arguments and a failed run are error results. */
  async call(
    args: string | Readonly<Record<string, unknown>>,
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    let value: unknown = args;
    if (typeof args === "string") {
      try {
        value = JSON.parse(args);
      } catch (e) {
        return this.#error(`Invalid JSON in the arguments: ${(e as Error).message}. Send {"task": "..."}.`);
      }
    }
    const task = (value as { task?: unknown } | null)?.task;
    if (typeof task !== "string") return this.#error('The arguments must be {"task": "<what to do>"}.');
    try {
      const runOptions = options.signal === undefined ? { task } : { task, signal: options.signal };
      const result =
        options.onEvent === undefined
          ? await this.runner.run(runOptions)
          : await streamRun(this.runner, runOptions, options.onEvent);
      return {
        name: this.name,
        result: [{ type: "text", text: taskResultText(result, this.#lastOnly) }],
        isError: false,
      };
    } catch (error) {
      if (CancelledError.isInstance(error) || options.signal?.aborted) throw error;
      return this.#error(`The run failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The runner's state (an agent's or a team's), as AutoGen's `save_state_json`. */
  async saveState(): Promise<Record<string, unknown>> {
    return (await this.#stateful().saveState()) as Record<string, unknown>;
  }

  /** Loads a state saved by {@link saveState} into the runner. */
  async loadState(state: Record<string, unknown>): Promise<void> {
    await this.#stateful().loadState(state);
  }

  /** Agents and teams keep state; a bare task runner may not. */
  #stateful(): { saveState(): Promise<unknown>; loadState(state: unknown): Promise<void> } {
    const runner = this.runner as Partial<{ saveState: unknown; loadState: unknown }>;
    if (typeof runner.saveState !== "function" || typeof runner.loadState !== "function") {
      throw new ValidationError(`Tool '${this.name}': its runner has no saveState/loadState`);
    }
    return runner as { saveState(): Promise<unknown>; loadState(state: unknown): Promise<void> };
  }

  #error(text: string): ToolResult {
    return { name: this.name, result: [{ type: "text", text: `Error: ${text}` }], isError: true };
  }
}

/** Options of {@link AgentTool}. */
export interface AgentToolOptions {
  /** The agent to use as a tool; its name and description become the tool's. */
  readonly agent: ChatAgent;
  /** Return only the agent's last message (default false: the whole run). */
  readonly returnValueAsLastMessage?: boolean;
  /** Overrides the tool name (default: the agent's name). */
  readonly name?: string;
  /** Overrides the description (default: the agent's description). */
  readonly description?: string;
}

/**
 * An agent used as a tool by another agent.
 *
 * @example
 * ```ts
 * const researcher = new AssistantAgent({ name: "researcher", modelClient, description: "Finds facts." });
 * const lead = new AssistantAgent({ name: "lead", modelClient, tools: [new AgentTool({ agent: researcher })] });
 * ```
 *
 * The agent keeps its conversation between calls; an agent runs one task at a time, so concurrent calls
 * of one AgentTool get an error result.
 */
export class AgentTool extends TaskRunnerTool {
  /** The agent. */
  readonly agent: ChatAgent;

  constructor(options: AgentToolOptions) {
    if (options?.agent === undefined) throw new ValidationError("AgentTool needs an 'agent'");
    super({
      runner: options.agent,
      name: options.name ?? options.agent.name,
      description: options.description ?? options.agent.description,
      ...(options.returnValueAsLastMessage === undefined
        ? {}
        : { returnValueAsLastMessage: options.returnValueAsLastMessage }),
    });
    this.agent = options.agent;
  }
}
