/**
 * Reading and writing component documents for the command line: AutoGen's JSON, or the same structure
 * in YAML (easier to write by hand: comments, block strings for prompts and source code, and
 * `component_type`, `version`, `label` and `description` may be left out).
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { ValidationError } from "@autogen-ts/core";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

/** The two document formats. */
export type DocumentFormat = "json" | "yaml";

/** The format a file name suggests (`.yaml`/`.yml` is YAML, anything else JSON). */
export function formatOf(path: string): DocumentFormat {
  const ext = extname(path).toLowerCase();
  return ext === ".yaml" || ext === ".yml" ? "yaml" : "json";
}

/** Parses a document's text; a syntax error names the file and the line. */
export function parseDocument(text: string, format: DocumentFormat, name: string): unknown {
  try {
    return format === "yaml" ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message.split("\n")[0];
    throw new ValidationError(`${name}: not valid ${format.toUpperCase()}: ${message}`, {
      code: "invalid_config",
      cause,
    });
  }
}

/** Reads and parses a document file. */
export async function readDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new ValidationError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      code: "invalid_argument",
      cause,
    });
  }
  return parseDocument(text, formatOf(path), path);
}

/** Writes a document as text in the given format. */
export function formatDocument(doc: unknown, format: DocumentFormat): string {
  return format === "yaml"
    ? stringifyYaml(doc, { lineWidth: 0, blockQuote: "literal" })
    : `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * A gallery (AutoGen Studio's `{components: {teams: [...], ...}}`) is not one component; `pick` finds one
 * in it by label (`--component "RoundRobin Team"`), or returns the document itself.
 */
export function pickComponent(doc: unknown, label: string | undefined): unknown {
  const components = (doc as { components?: Record<string, unknown[]> } | null)?.components;
  if (components === undefined || typeof components !== "object") return doc;
  const all = Object.values(components).flat() as { label?: string }[];
  if (label === undefined) {
    throw new ValidationError(
      `this file is a gallery of ${all.length} components; choose one with --component <label> (${all
        .map((c) => JSON.stringify(c.label))
        .join(", ")})`,
      { code: "invalid_argument" },
    );
  }
  const found = all.find((c) => c.label === label);
  if (found === undefined) {
    throw new ValidationError(`no component labelled ${JSON.stringify(label)} in the gallery`, {
      code: "invalid_argument",
    });
  }
  return found;
}
