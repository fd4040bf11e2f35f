/**
 * Handoffs: an agent hands the conversation to another by calling a `transfer_to_<target>` tool.
 */
import type { ToolSchema } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";

/** A handoff as given to an agent: the target's name, or the full description. */
export type HandoffSpec = string | HandoffOptions;

/** Options of a handoff. */
export interface HandoffOptions {
  /** The name of the agent to hand over to. */
  readonly target: string;
  /** The tool's name (default `transfer_to_<target>`, in lower case as AutoGen makes it). */
  readonly name?: string;
  /** When the model should use it (default, as in AutoGen: "Handoff to <target>."). */
  readonly description?: string;
  /**
   * What the handing-off agent says in its HandoffMessage (and the tool's result); default, as in AutoGen:
   * "Transferred to <target>, adopting the role of <target> immediately.".
   */
  readonly message?: string;
}

/** A handoff with every field resolved. */
export interface Handoff {
  readonly target: string;
  readonly name: string;
  readonly description: string;
  readonly message: string;
  /** The schema offered to the model: a call without arguments. */
  readonly schema: ToolSchema;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Resolves a {@link HandoffSpec} into a {@link Handoff}, checking the tool name. */
export function toHandoff(spec: HandoffSpec): Handoff {
  const options: HandoffOptions = typeof spec === "string" ? { target: spec } : spec;
  if (typeof options?.target !== "string" || options.target === "") {
    throw new ValidationError("A handoff needs a non-empty 'target' agent name");
  }
  const target = options.target;
  const name = options.name ?? `transfer_to_${target}`.toLowerCase();
  if (!TOOL_NAME.test(name)) {
    throw new ValidationError(
      `Handoff tool name "${name}" is not valid: use 1 to 64 letters, digits, "_" or "-"`,
    );
  }
  const description = options.description || `Handoff to ${target}.`;
  const message = options.message || `Transferred to ${target}, adopting the role of ${target} immediately.`;
  return {
    target,
    name,
    description,
    message,
    schema: {
      name,
      description,
      parameters: { type: "object", properties: {}, required: [], additionalProperties: false },
    },
  };
}
