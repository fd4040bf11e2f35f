/**
 * Where the model's tools come from in one turn: static tools, workbenches and handoffs, by name. The
 * static part is built once per agent (at its first turn, so idle agents pay nothing); workbenches, whose
 * tools may change between turns, are listed each turn and put in front of it.
 */

import type { Tool, ToolSchema, Workbench } from "@autogen-ts/core";
import type { Handoff } from "../handoff.js";

/** The tools on offer in one turn, by name, and their schemas in the order the model sees them. */
export interface ToolIndex {
  readonly schemas: readonly ToolSchema[];
  readonly tools: ReadonlyMap<string, Tool>;
  readonly workbenches: ReadonlyMap<string, Workbench>;
  readonly handoffs: ReadonlyMap<string, Handoff>;
}

const NO_WORKBENCHES: ReadonlyMap<string, Workbench> = new Map();

/** The index of an agent's static tools and handoffs (built once; the agent's tool lists never change). */
export function staticToolIndex(tools: readonly Tool[], handoffs: readonly Handoff[]): ToolIndex {
  const schemas: ToolSchema[] = [];
  const byName = new Map<string, Tool>();
  const handoffsByName = new Map<string, Handoff>();
  for (const tool of tools) {
    schemas.push(tool.schema);
    byName.set(tool.name, tool);
  }
  for (const handoff of handoffs) {
    schemas.push(handoff.schema);
    handoffsByName.set(handoff.name, handoff);
  }
  return { schemas, tools: byName, workbenches: NO_WORKBENCHES, handoffs: handoffsByName };
}

/**
 * The static index with what the workbenches list now in front of the handoffs. An agent has either
 * tools or workbenches (its constructor checks), so the static schemas here are the handoffs' alone.
 */
export async function withWorkbenches(
  base: ToolIndex,
  workbenches: readonly Workbench[],
  signal: AbortSignal | undefined,
): Promise<ToolIndex> {
  const schemas: ToolSchema[] = [];
  const byName = new Map<string, Workbench>();
  for (const workbench of workbenches) {
    for (const schema of await workbench.listTools(signal === undefined ? {} : { signal })) {
      if (byName.has(schema.name)) continue; // the first workbench offering a name serves it
      schemas.push(schema);
      byName.set(schema.name, workbench);
    }
  }
  schemas.push(...base.schemas);
  return { schemas, tools: base.tools, workbenches: byName, handoffs: base.handoffs };
}
