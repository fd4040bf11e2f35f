/**
 * Model tables: what a client knows about model names (capabilities, context size, prices), looked up
 * leniently so that dated and provider-prefixed names (`gpt-4o-2024-08-06`, `openai/gpt-4o`) find their
 * entry, and an unknown model gets working defaults with a one-time warning instead of an error.
 */
import type { ModelInfo } from "./types.js";

/**
 * Looks a model name up in a table: the exact name, else the longest key that the name starts with
 * followed by `-`, `:`, `@` or `.` (a dated or tagged variant). A provider prefix such as `openai/` is
 * tried without it too.
 */
export function lookupModel<T>(model: string, table: Readonly<Record<string, T>>): T | undefined {
  const candidates = [model];
  const slash = model.lastIndexOf("/");
  if (slash >= 0) candidates.push(model.slice(slash + 1));
  for (const name of candidates) {
    if (Object.hasOwn(table, name)) return table[name];
  }
  for (const name of candidates) {
    let best: string | undefined;
    for (const key of Object.keys(table)) {
      if (name.length > key.length && name.startsWith(key) && "-:@.".includes(name[key.length] ?? "")) {
        if (best === undefined || key.length > best.length) best = key;
      }
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

/**
 * What an unknown model is assumed to do: function calling and JSON output (nearly every current chat
 * model has both), no vision (sending images to a text model fails in confusing ways, so it is opt-in).
 */
export const DEFAULT_MODEL_INFO: ModelInfo = {
  vision: false,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family: "unknown",
  multipleSystemMessages: true,
};

const warned = new Set<string>();

/** Options of {@link resolveModelInfo}. */
export interface ResolveModelInfoOptions {
  /** Where the one-time warning goes (default `console.warn`). */
  readonly warn?: (message: string) => void;
  /** The client's name, for the warning. */
  readonly clientName?: string;
}

/**
 * The capabilities of `model`: the table's entry (or {@link DEFAULT_MODEL_INFO} for an unknown model)
 * with `override` on top. An unknown model without a full override is warned about once per process.
 */
export function resolveModelInfo(
  model: string,
  table: Readonly<Record<string, ModelInfo>>,
  override?: Partial<ModelInfo>,
  options: ResolveModelInfoOptions = {},
): ModelInfo {
  const known = lookupModel(model, table);
  if (known) return { ...known, ...override };
  const complete =
    override !== undefined &&
    ["vision", "functionCalling", "jsonOutput", "structuredOutput"].every((k) => k in override);
  const key = `${options.clientName ?? ""}\u0000${model}`;
  if (!complete && !warned.has(key)) {
    warned.add(key);
    const warn = options.warn ?? ((m: string) => console.warn(m));
    warn(
      `${options.clientName ?? "autogen-ts"}: unknown model "${model}"; assuming function calling and JSON ` +
        "output, no vision. Pass `modelInfo` to set its capabilities (this warning is shown once).",
    );
  }
  return { ...DEFAULT_MODEL_INFO, ...override };
}
