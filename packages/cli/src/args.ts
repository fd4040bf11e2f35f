/** A small argument parser: `--name value`, `--name=value`, boolean `--flag`, and positionals. */
import { ValidationError } from "@autogen-ts/core";

/** Parsed arguments. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
  /** Options that may be given several times (`--api-key a --api-key b`), in order. */
  readonly lists: Map<string, string[]>;
}

/**
 * Parses `argv` given which options take a value, which may repeat (`lists`) and which are flags;
 * anything else is a usage error.
 */
export function parseArgs(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[]; lists?: readonly string[] },
): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: new Map(), flags: new Set(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--") || arg === "--") {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (spec.flags.includes(name)) {
      if (eq !== -1) throw new ValidationError(`--${name} takes no value`);
      out.flags.add(name);
    } else if (spec.values.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new ValidationError(`--${name} needs a value`);
      out.values.set(name, value);
    } else if (spec.lists?.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new ValidationError(`--${name} needs a value`);
      out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
    } else {
      throw new ValidationError(`unknown option --${name}`);
    }
  }
  return out;
}
