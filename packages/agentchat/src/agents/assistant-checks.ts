/**
 * The checks an `AssistantAgent` makes of its tools and handoffs when it is built, and the text the model
 * reads for a call of a tool that does not exist. Both use AutoGen's words: programs and prompts ported
 * from AutoGen match on them.
 */
import type { Tool } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import type { HandoffSpec } from "./handoff.js";

function invalid(message: string): ValidationError {
  return new ValidationError(message, { code: "invalid_config" });
}

/** Python's repr of a list of names, as AutoGen prints it in its messages: `['a', 'b']`. */
function listText(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]`;
}

/** The tool name a handoff spec gives (AutoGen's default: `transfer_to_<target>`, lower case). */
function handoffName(spec: HandoffSpec): string {
  if (typeof spec === "string") return `transfer_to_${spec}`.toLowerCase();
  return spec.name ?? `transfer_to_${spec.target}`.toLowerCase();
}

/**
 * Throws a `ValidationError` (`invalid_config`) when a tool is not a tool, two tools or two handoffs share
 * a name, a handoff is named like a tool (or targets an agent named like one: the model would read two
 * tools it cannot tell apart), or there are handoffs but the model cannot call functions.
 */
export function checkToolsAndHandoffs(
  tools: readonly Tool[],
  handoffs: readonly HandoffSpec[] | undefined,
  functionCalling: boolean,
): void {
  for (const tool of tools) {
    const t = tool as Partial<Tool> | null;
    if (t === null || typeof t !== "object" || typeof t.name !== "string" || typeof t.call !== "function") {
      throw invalid(`Unsupported tool type: ${t === null ? "null" : typeof t}`);
    }
  }
  const toolNames = tools.map((t) => t.name);
  if (new Set(toolNames).size !== toolNames.length) {
    throw invalid(`Tool names must be unique: ${listText(toolNames)}`);
  }
  if (handoffs === undefined || handoffs.length === 0) return;
  if (!functionCalling) {
    throw invalid("The model does not support function calling, which is needed for handoffs.");
  }
  for (const spec of handoffs) {
    const s = spec as unknown;
    const ok =
      typeof s === "string" ||
      (typeof s === "object" && s !== null && typeof (s as { target?: unknown }).target === "string");
    if (!ok) throw invalid(`Unsupported handoff type: ${s === null ? "null" : typeof s}`);
  }
  const handoffNames = handoffs.map(handoffName);
  if (new Set(handoffNames).size !== handoffNames.length) {
    throw invalid(`Handoff names must be unique: ${listText(handoffNames)}`);
  }
  const taken = new Set(toolNames);
  for (const spec of handoffs) {
    const target = typeof spec === "string" ? spec : spec.target;
    if (taken.has(target) || taken.has(handoffName(spec))) {
      throw invalid("Handoff names must be unique from tool names");
    }
  }
}

/** What the model reads when it calls a tool that no tool list, workbench or handoff offers (AutoGen's words). */
export function unknownToolText(name: string): string {
  return `Error: tool '${name}' not found in any workbench`;
}
