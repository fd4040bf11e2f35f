/**
 * What one MCP server offers: agents and teams (each a tool taking a task), plain tools (core `Tool`s,
 * such as `FunctionTool`s), prompts and resources. Checked once, when the server is built.
 */
import type { Tool } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import type { ContentBlock, PromptMessage } from "@modelcontextprotocol/server";
import type { McpServable, McpServableSource } from "./runner.js";

/** One agent or team served as a tool. */
export interface McpAgentEntry {
  /** The agent or team, or a function making a fresh one per call. */
  readonly agent: McpServableSource;
  /** The tool's name (default: the agent's name). */
  readonly name?: string;
  /** The tool's description (default: the agent's description). */
  readonly description?: string;
  /** The answer is the last chat message (default) or every chat message of the run (`"all"`). */
  readonly answer?: "last" | "all";
}

/** An argument of a prompt. */
export interface McpPromptArgument {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
  /** Suggestions for `completion/complete` from what the user has typed so far. */
  readonly complete?: (value: string) => readonly string[] | Promise<readonly string[]>;
}

/** A prompt: a templated task, or any list of messages. */
export interface McpPromptDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly McpPromptArgument[];
  /** The prompt's text (one user message) or its messages, from the arguments given. */
  render(
    args: Readonly<Record<string, string>>,
  ): string | readonly PromptMessage[] | Promise<string | readonly PromptMessage[]>;
}

/** The contents of a resource read: text or base64 data. */
export type McpResourceContents =
  | { readonly text: string; readonly mimeType?: string }
  | { readonly blob: string; readonly mimeType?: string };

/** A fixed resource. */
export interface McpResourceDefinition {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  read(): McpResourceContents | Promise<McpResourceContents>;
}

/** A family of resources named by an RFC 6570 level-1 template (`test://items/{id}`). */
export interface McpResourceTemplateDefinition {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  /** The resource at `uri`, with the template's variables; `undefined` when there is none. */
  read(
    variables: Readonly<Record<string, string>>,
    uri: string,
  ): McpResourceContents | undefined | Promise<McpResourceContents | undefined>;
  /** Suggestions for a variable's value in `completion/complete`. */
  complete?: (variable: string, value: string) => readonly string[] | Promise<readonly string[]>;
}

/** Everything one server offers. */
export interface McpServeEntries {
  readonly agents?: readonly McpAgentEntry[];
  readonly tools?: readonly Tool[];
  readonly prompts?: readonly McpPromptDefinition[];
  readonly resources?: readonly McpResourceDefinition[];
  readonly resourceTemplates?: readonly McpResourceTemplateDefinition[];
}

/** What `serveMcp` accepts: one agent or team (or a factory), or a full set of entries. */
export type McpServeInput = McpServableSource | McpServeEntries;

/** Content blocks a tool answer may carry (re-exported for fixture tools). */
export type McpContentBlock = ContentBlock;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function isServable(value: unknown): value is McpServable {
  return typeof (value as { runStream?: unknown } | null)?.runStream === "function";
}

/** The entries of a `serveMcp` input, names checked and defaulted. */
export function normalizeEntries(
  input: McpServeInput,
  single: { toolName?: string; toolDescription?: string; answer?: "last" | "all" } = {},
): Required<McpServeEntries> {
  const entries: McpServeEntries =
    typeof input === "function" || isServable(input)
      ? {
          agents: [
            {
              agent: input,
              ...(single.toolName !== undefined ? { name: single.toolName } : {}),
              ...(single.toolDescription !== undefined ? { description: single.toolDescription } : {}),
              ...(single.answer !== undefined ? { answer: single.answer } : {}),
            },
          ],
        }
      : input;
  const agents = (entries.agents ?? []).map((entry) => {
    const sample = typeof entry.agent === "function" ? undefined : entry.agent;
    return {
      ...entry,
      name: entry.name ?? sample?.name ?? "run_task",
      description: entry.description ?? sample?.description,
    };
  });
  const tools = entries.tools ?? [];
  const seen = new Set<string>();
  for (const name of [...agents.map((a) => a.name), ...tools.map((t) => t.name)]) {
    if (!NAME.test(name)) {
      throw new ValidationError(
        `MCP tool name "${name}" is not valid: 1 to 64 letters, digits, "_", "-", "."`,
      );
    }
    if (seen.has(name)) throw new ValidationError(`MCP tool name "${name}" is used twice`);
    seen.add(name);
  }
  const prompts = entries.prompts ?? [];
  unique(
    prompts.map((p) => p.name),
    "prompt name",
  );
  const resources = entries.resources ?? [];
  unique(
    resources.map((r) => r.uri),
    "resource URI",
  );
  const resourceTemplates = entries.resourceTemplates ?? [];
  unique(
    resourceTemplates.map((t) => t.uriTemplate),
    "resource template",
  );
  if (agents.length + tools.length + prompts.length + resources.length + resourceTemplates.length === 0) {
    throw new ValidationError("serveMcp: nothing to serve; give an agent, tools, prompts or resources");
  }
  return { agents, tools, prompts, resources, resourceTemplates };
}

function unique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (value === "") throw new ValidationError(`serveMcp: an empty ${what}`);
    if (seen.has(value)) throw new ValidationError(`serveMcp: the ${what} "${value}" is used twice`);
    seen.add(value);
  }
}
