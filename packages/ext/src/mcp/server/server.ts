/**
 * Builds the SDK's low-level MCP `Server` for one session (legacy era) or one request (2026-07-28) from
 * the served entries: agents and teams as tools with input and output schemas, core tools, prompts,
 * resources (the entries' own, each agent's component JSON, each finished run's transcript), logging at
 * the level the client sets, and completions for prompt arguments and template variables.
 */

import { randomUUID } from "node:crypto";
import { CancelledError, type Tool } from "@autogen-ts/core";
import {
  type CallToolResult,
  type ContentBlock,
  type GetPromptResult,
  type PromptMessage,
  ProtocolError,
  type ReadResourceResult,
  ResourceNotFoundError,
  Server,
  type ServerContext,
  UriTemplate,
} from "@modelcontextprotocol/server";
import { VERSION } from "../../version.js";
import { type McpRequestScope, runInMcpRequest } from "./context.js";
import type { McpAgentEntry, McpResourceContents, McpServeEntries } from "./definitions.js";
import { AgentRunner, type McpRunRecord, RunHistory } from "./runner.js";

/** What every server instance of one `serveMcp` shares. */
export interface ServerShared {
  readonly entries: Required<McpServeEntries>;
  readonly runners: ReadonlyMap<string, AgentRunner>;
  readonly history: RunHistory;
  readonly serverName: string;
  readonly serverVersion: string;
  readonly instructions?: string;
}

const TRANSCRIPT_TEMPLATE = "autogen://runs/{runId}/transcript";
const COMPONENT_PREFIX = "autogen://agents/";

/** What {@link makeShared} reads of the serving options. */
export interface SharedOptions {
  readonly serverName?: string;
  readonly serverVersion?: string;
  readonly instructions?: string;
  readonly maxRuns?: number;
}

/** The state every server instance of one `serveMcp` shares: entries, runners, run history. */
export function makeShared(entries: Required<McpServeEntries>, options: SharedOptions): ServerShared {
  const agents = entries.agents as readonly (McpAgentEntry & { name: string })[];
  return {
    entries,
    runners: new Map(agents.map((a) => [a.name, new AgentRunner(a.agent, a.answer ?? "last")])),
    history: new RunHistory(options.maxRuns ?? 100),
    serverName: options.serverName ?? "autogen-ts",
    serverVersion: options.serverVersion ?? VERSION,
    ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
  };
}

const AGENT_INPUT_SCHEMA = {
  type: "object",
  properties: { task: { type: "string", description: "The task, in plain words." } },
  required: ["task"],
} as const;

const AGENT_OUTPUT_SCHEMA = {
  type: "object",
  properties: {
    answer: { type: "string" },
    runId: { type: "string" },
    stopReason: { type: "string" },
    messages: {
      type: "array",
      items: {
        type: "object",
        properties: { source: { type: "string" }, type: { type: "string" }, text: { type: "string" } },
        required: ["source", "type", "text"],
      },
    },
  },
  required: ["answer", "runId", "messages"],
} as const;

/** A fresh SDK server over the shared entries. */
export function buildServer(shared: ServerShared, era: "modern" | "legacy"): Server {
  const { entries } = shared;
  const server = new Server(
    { name: shared.serverName, version: shared.serverVersion },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        logging: {},
        completions: {},
      },
      ...(shared.instructions ? { instructions: shared.instructions } : {}),
    },
  );
  const tools = new Map<string, Tool>(entries.tools.map((t) => [t.name, t]));
  const agents = new Map(entries.agents.map((a) => [a.name as string, a]));

  server.setRequestHandler("tools/list", async () => ({
    tools: [
      ...entries.agents.map((a) => ({
        name: a.name as string,
        description:
          a.description ??
          "Runs a task with an autogen-ts agent or team and returns its answer. Progress and log notifications carry each message as it happens.",
        inputSchema: AGENT_INPUT_SCHEMA as unknown as { type: "object" },
        outputSchema: AGENT_OUTPUT_SCHEMA as unknown as { type: "object" },
      })),
      ...entries.tools.map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: t.schema.parameters as { type: "object" },
      })),
    ],
  }));

  server.setRequestHandler("tools/call", async (request, ctx) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const agent = agents.get(name);
    if (agent) return callAgent(shared, agent.name as string, args, ctx);
    const tool = tools.get(name);
    if (tool) return callTool(tool, args, ctx, era);
    return errorResult(`Unknown tool "${name}".`);
  });

  server.setRequestHandler("prompts/list", async () => ({
    prompts: entries.prompts.map((p) => ({
      name: p.name,
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.description !== undefined ? { description: p.description } : {}),
      arguments: (p.arguments ?? []).map((a) => ({
        name: a.name,
        ...(a.description !== undefined ? { description: a.description } : {}),
        required: a.required ?? false,
      })),
    })),
  }));

  server.setRequestHandler("prompts/get", async (request): Promise<GetPromptResult> => {
    const prompt = entries.prompts.find((p) => p.name === request.params.name);
    if (!prompt) throw invalidParams(`Unknown prompt "${request.params.name}"`);
    const args = (request.params.arguments ?? {}) as Record<string, string>;
    for (const argument of prompt.arguments ?? []) {
      if (argument.required && typeof args[argument.name] !== "string") {
        throw invalidParams(`Prompt "${prompt.name}" needs the argument "${argument.name}"`);
      }
    }
    const rendered = await prompt.render(args);
    const messages: PromptMessage[] =
      typeof rendered === "string"
        ? [{ role: "user", content: { type: "text", text: rendered } }]
        : [...rendered];
    return { ...(prompt.description !== undefined ? { description: prompt.description } : {}), messages };
  });

  server.setRequestHandler("resources/list", async () => ({
    resources: [
      ...entries.resources.map((r) => ({
        uri: r.uri,
        name: r.name,
        ...(r.title !== undefined ? { title: r.title } : {}),
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(r.mimeType !== undefined ? { mimeType: r.mimeType } : {}),
      })),
      ...entries.agents
        .filter((a) => typeof a.agent !== "function")
        .map((a) => ({
          uri: `${COMPONENT_PREFIX}${a.name}/component`,
          name: `${a.name} component`,
          description: `The component JSON of ${a.name} (AutoGen's declarative format).`,
          mimeType: "application/json",
        })),
      ...shared.history.list().map((run) => ({
        uri: transcriptUri(run.runId),
        name: `run ${run.runId}`,
        description: `The transcript of a ${run.tool} run: ${run.task.slice(0, 80)}`,
        mimeType: "application/json",
      })),
    ],
  }));

  server.setRequestHandler("resources/templates/list", async () => ({
    resourceTemplates: [
      ...entries.resourceTemplates.map((t) => ({
        uriTemplate: t.uriTemplate,
        name: t.name,
        ...(t.title !== undefined ? { title: t.title } : {}),
        ...(t.description !== undefined ? { description: t.description } : {}),
        ...(t.mimeType !== undefined ? { mimeType: t.mimeType } : {}),
      })),
      ...(entries.agents.length > 0
        ? [
            {
              uriTemplate: TRANSCRIPT_TEMPLATE,
              name: "run transcript",
              description: "Every message of a finished run, by the runId its tool result gave.",
              mimeType: "application/json",
            },
          ]
        : []),
    ],
  }));

  server.setRequestHandler("resources/read", async (request): Promise<ReadResourceResult> => {
    const { uri } = request.params;
    const contents = await readResource(shared, uri);
    if (!contents) throw resourceNotFound(uri);
    return { contents: [{ uri, ...contents }] };
  });

  // Subscriptions are acknowledged; the entries' resources do not change while served.
  server.setRequestHandler("resources/subscribe", async () => ({}));
  server.setRequestHandler("resources/unsubscribe", async () => ({}));

  server.setRequestHandler("completion/complete", async (request) => {
    const { ref, argument } = request.params;
    let values: readonly string[] = [];
    if (ref.type === "ref/prompt") {
      const prompt = entries.prompts.find((p) => p.name === ref.name);
      const arg = prompt?.arguments?.find((a) => a.name === argument.name);
      values = (await arg?.complete?.(argument.value)) ?? [];
    } else if (ref.type === "ref/resource") {
      if (ref.uri === TRANSCRIPT_TEMPLATE && argument.name === "runId") {
        values = shared.history
          .list()
          .map((r) => r.runId)
          .filter((id) => id.startsWith(argument.value));
      } else {
        const template = entries.resourceTemplates.find((t) => t.uriTemplate === ref.uri);
        values = (await template?.complete?.(argument.name, argument.value)) ?? [];
      }
    }
    const limited = values.slice(0, 100);
    return { completion: { values: limited, total: values.length, hasMore: values.length > limited.length } };
  });

  return server;
}

function transcriptUri(runId: string): string {
  return `autogen://runs/${encodeURIComponent(runId)}/transcript`;
}

async function readResource(shared: ServerShared, uri: string): Promise<McpResourceContents | undefined> {
  const fixed = shared.entries.resources.find((r) => r.uri === uri);
  if (fixed) return withMime(await fixed.read(), fixed.mimeType);
  const transcript = new UriTemplate(TRANSCRIPT_TEMPLATE).match(uri);
  if (transcript && typeof transcript.runId === "string") {
    const run = shared.history.get(decodeURIComponent(transcript.runId));
    return run ? { text: JSON.stringify(run), mimeType: "application/json" } : undefined;
  }
  if (uri.startsWith(COMPONENT_PREFIX) && uri.endsWith("/component")) {
    const name = uri.slice(COMPONENT_PREFIX.length, -"/component".length);
    const entry = shared.entries.agents.find((a) => a.name === name);
    if (!entry || typeof entry.agent === "function") return undefined;
    const { dumpComponent } = await import("../../components/index.js");
    const model = await dumpComponent(entry.agent);
    return { text: JSON.stringify(model, null, 2), mimeType: "application/json" };
  }
  for (const template of shared.entries.resourceTemplates) {
    const variables = new UriTemplate(template.uriTemplate).match(uri);
    if (!variables) continue;
    const flat = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]),
    );
    const contents = await template.read(flat, uri);
    if (contents) return withMime(contents, template.mimeType);
  }
  return undefined;
}

function withMime(contents: McpResourceContents, mimeType: string | undefined): McpResourceContents {
  return contents.mimeType === undefined && mimeType !== undefined ? { ...contents, mimeType } : contents;
}

async function callAgent(
  shared: ServerShared,
  toolName: string,
  args: Record<string, unknown>,
  ctx: ServerContext,
): Promise<CallToolResult> {
  const task = args.task;
  if (typeof task !== "string" || task.trim() === "") {
    return errorResult('The argument "task" must be a non-empty string.');
  }
  const runner = shared.runners.get(toolName) as AgentRunner;
  const token = ctx.mcpReq._meta?.progressToken;
  const runId = randomUUID();
  try {
    const outcome = await runner.run(task, ctx.mcpReq.signal, async (message, step) => {
      const text = `${message.source} (${message.type}): ${message.text}`;
      await ctx.mcpReq
        .log(message.type.endsWith("Event") ? "debug" : "info", { runId, ...message }, toolName)
        .catch(() => {});
      if (token !== undefined) {
        await ctx.mcpReq.notify({
          method: "notifications/progress",
          params: { progressToken: token, progress: step, message: text },
        });
      }
    });
    const record: McpRunRecord = {
      runId,
      tool: toolName,
      task,
      answer: outcome.answer,
      ...(outcome.stopReason !== undefined ? { stopReason: outcome.stopReason } : {}),
      messages: outcome.messages,
      finishedAt: new Date().toISOString(),
    };
    shared.history.add(record);
    // Let the last notifications leave before the answer: some clients drop progress that arrives in the
    // same read as the response.
    if (outcome.messages.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    return {
      content: [{ type: "text", text: outcome.answer }],
      structuredContent: {
        answer: outcome.answer,
        runId,
        ...(outcome.stopReason !== undefined ? { stopReason: outcome.stopReason } : {}),
        messages: outcome.messages.map((m) => ({ ...m })),
      },
    };
  } catch (error) {
    // A cancelled request gets no answer (the SDK drops it); anything else is a failed run.
    if (ctx.mcpReq.signal.aborted || CancelledError.isInstance(error)) throw error;
    return errorResult(`The run failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function callTool(
  tool: Tool,
  args: Record<string, unknown>,
  ctx: ServerContext,
  era: "modern" | "legacy",
): Promise<CallToolResult> {
  let override: readonly ContentBlock[] | undefined;
  const token = ctx.mcpReq._meta?.progressToken;
  const scope: McpRequestScope = {
    era,
    log: (level, data, logger) => ctx.mcpReq.log(level, data, logger),
    progress: async (progress, total, message) => {
      if (token === undefined) return;
      await ctx.mcpReq.notify({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress,
          ...(total !== undefined ? { total } : {}),
          ...(message !== undefined ? { message } : {}),
        },
      });
    },
    elicit: (params) => ctx.mcpReq.elicitInput(params),
    sample: async (params) => (await ctx.mcpReq.requestSampling(params)) as never,
    closeStream: () => ctx.http?.closeSSE?.(),
    respondWith: (content) => {
      override = content;
    },
  };
  const result = await runInMcpRequest(scope, () => tool.call(args, { signal: ctx.mcpReq.signal }));
  const content: ContentBlock[] = override
    ? [...override]
    : result.result.map((part) =>
        part.type === "text"
          ? { type: "text", text: part.text }
          : { type: "image", data: part.data, mimeType: part.mediaType },
      );
  return { content, ...(result.isError ? { isError: true } : {}) };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/** A JSON-RPC "invalid params" error. */
function invalidParams(message: string): ProtocolError {
  return new ProtocolError(-32602, message);
}

/** The spec's "resource not found" error. */
function resourceNotFound(uri: string): ProtocolError {
  return new ResourceNotFoundError(uri, `Resource not found: ${uri}`);
}
