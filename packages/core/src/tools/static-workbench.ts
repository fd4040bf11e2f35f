/**
 * `StaticWorkbench`: a fixed list of tools behind the {@link Workbench} interface, so an agent treats
 * local tools and MCP servers alike.
 */
import { ValidationError } from "../errors.js";
import type { Tool, ToolCallOptions, ToolResult, ToolSchema, Workbench } from "./types.js";

/** A new name and/or description under which a workbench offers a tool (AutoGen's `ToolOverride`). */
export interface ToolOverride {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
}

/** Options of {@link StaticWorkbench}. */
export interface StaticWorkbenchOptions {
  /** The tools on offer; their names must be unique. */
  readonly tools: readonly Tool[];
  /**
   * Overrides by original tool name: the model sees (and calls) the tool under the new name and reads the
   * new description. An override name may not be another tool's name or another override's.
   */
  readonly toolOverrides?: Readonly<Record<string, ToolOverride>>;
}

/**
 * A workbench over a fixed list of tools. It has no connection and no state; calling an unknown tool
 * gives an error result naming the tools that exist.
 */
export class StaticWorkbench implements Workbench {
  /** The overrides given, by original tool name. */
  readonly toolOverrides: Readonly<Record<string, ToolOverride>>;
  readonly #tools: ReadonlyMap<string, Tool>;
  /** Override name -> original name, for calls made under the new name. */
  readonly #originals = new Map<string, string>();

  constructor(options: StaticWorkbenchOptions) {
    const map = new Map<string, Tool>();
    for (const tool of options.tools) {
      if (map.has(tool.name)) throw new ValidationError(`Two tools are named "${tool.name}"`);
      map.set(tool.name, tool);
    }
    this.#tools = map;
    this.toolOverrides = options.toolOverrides ?? {};
    // The same checks, in the same words, as AutoGen's StaticWorkbench.
    for (const [original, override] of Object.entries(this.toolOverrides)) {
      const name = override.name;
      if (name === undefined || name === original) continue;
      if (map.has(name)) {
        throw new ValidationError(
          `Tool override name '${name}' conflicts with existing tool name. Override names must not conflict with any tool names.`,
        );
      }
      const taken = this.#originals.get(name);
      if (taken !== undefined) {
        throw new ValidationError(
          `Tool override name '${name}' is used by multiple tools: '${taken}' and '${original}'. Override names must be unique.`,
        );
      }
      this.#originals.set(name, original);
    }
  }

  /** The tools, in the order given. */
  get tools(): readonly Tool[] {
    return [...this.#tools.values()];
  }

  /** The schemas of the tools, in the order given, with the overrides applied. */
  async listTools(): Promise<ToolSchema[]> {
    return [...this.#tools.values()].map((t) => {
      const override = this.toolOverrides[t.name];
      if (override === undefined) return t.schema;
      return {
        ...t.schema,
        name: override.name ?? t.schema.name,
        ...(override.description === undefined ? {} : { description: override.description }),
      };
    });
  }

  /** Calls the named tool; an unknown name gives an error result rather than an exception. */
  async callTool(
    name: string,
    args: string | Readonly<Record<string, unknown>>,
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const tool = this.#tools.get(this.#originals.get(name) ?? name);
    if (!tool) {
      const known = (await this.listTools()).map((t) => t.name).join(", ") || "none";
      // AutoGen's words first ("Tool x not found."), then what the model can call instead.
      return {
        name,
        result: [{ type: "text", text: `Tool ${name} not found. Available tools: ${known}.` }],
        isError: true,
      };
    }
    const result = await tool.call(args, options);
    // The result carries the name the tool was called by, as the model knows it.
    return result.name === name ? result : { ...result, name };
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
