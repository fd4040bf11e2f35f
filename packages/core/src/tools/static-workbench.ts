/**
 * `StaticWorkbench`: a fixed list of tools behind the {@link Workbench} interface, so an agent treats
 * local tools and MCP servers alike.
 */
import { ValidationError } from "../errors.js";
import type { Tool, ToolCallOptions, ToolResult, ToolSchema, Workbench } from "./types.js";

/** Options of {@link StaticWorkbench}. */
export interface StaticWorkbenchOptions {
  /** The tools on offer; their names must be unique. */
  readonly tools: readonly Tool[];
}

/**
 * A workbench over a fixed list of tools. It has no connection and no state; calling an unknown tool
 * gives an error result naming the tools that exist.
 */
export class StaticWorkbench implements Workbench {
  readonly #tools: ReadonlyMap<string, Tool>;

  constructor(options: StaticWorkbenchOptions) {
    const map = new Map<string, Tool>();
    for (const tool of options.tools) {
      if (map.has(tool.name)) throw new ValidationError(`Two tools are named "${tool.name}"`);
      map.set(tool.name, tool);
    }
    this.#tools = map;
  }

  /** The tools, in the order given. */
  get tools(): readonly Tool[] {
    return [...this.#tools.values()];
  }

  /** The schemas of the tools, in the order given. */
  async listTools(): Promise<ToolSchema[]> {
    return [...this.#tools.values()].map((t) => t.schema);
  }

  /** Calls the named tool; an unknown name gives an error result rather than an exception. */
  async callTool(
    name: string,
    args: string | Readonly<Record<string, unknown>>,
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const tool = this.#tools.get(name);
    if (!tool) {
      const known = [...this.#tools.keys()].join(", ") || "none";
      return {
        name,
        result: [
          { type: "text", text: `Error: there is no tool named "${name}". Available tools: ${known}.` },
        ],
        isError: true,
      };
    }
    return tool.call(args, options);
  }

  /** Nothing to open. */
  async start(): Promise<void> {}
  /** Nothing to release. */
  async stop(): Promise<void> {}
  /** No per-conversation state. */
  async reset(): Promise<void> {}
  /** No state: an empty object. */
  async saveState(): Promise<Record<string, unknown>> {
    return {};
  }
  /** No state to load. */
  async loadState(_state: Record<string, unknown>): Promise<void> {}
}
