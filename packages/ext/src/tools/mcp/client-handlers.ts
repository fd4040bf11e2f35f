/**
 * What an `McpWorkbench` session's client offers the server: the capabilities it announces, and the
 * handlers of the server's requests (sampling through a model client, elicitation, roots) and
 * notifications (the tool list changed).
 */
import type { ChatCompletionClient, JsonSchema } from "@autogen-ts/core";
import type { Client, ClientOptions } from "@modelcontextprotocol/client";
import { createResultToSampling, samplingToMessages } from "./convert.js";
import { withSchemaDefaults } from "./elicitation.js";
import type { McpElicitationHandler, McpElicitationRequest, McpRoot } from "./workbench-types.js";

/** What the handlers of one workbench read and call. */
export interface ClientHooks {
  readonly serverName: string;
  readonly modelClient: ChatCompletionClient | undefined;
  readonly elicitation: McpElicitationHandler | undefined;
  /** The roots now (read per request: `setRoots` may change them). */
  readonly roots: () =>
    | readonly McpRoot[]
    | (() => readonly McpRoot[] | Promise<readonly McpRoot[]>)
    | undefined;
  /** The server announced that its tool list changed. */
  readonly toolsChanged: () => void;
  /** One of the session's HTTP event streams broke. */
  readonly streamBroke: () => void;
}

/** The capabilities a session announces: sampling, elicitation and roots, where the workbench has them. */
export function clientOptions(hooks: ClientHooks): ClientOptions {
  const capabilities: NonNullable<ClientOptions["capabilities"]> = {};
  if (hooks.modelClient) capabilities.sampling = {};
  if (hooks.elicitation) capabilities.elicitation = { form: {}, url: {} };
  if (hooks.roots() !== undefined) capabilities.roots = { listChanged: true };
  return { capabilities };
}

/** Installs the handlers on a new session's client. */
export function configureClient(client: Client, hooks: ClientHooks): void {
  client.onerror = (error) => {
    // A broken HTTP event stream may have carried the answer to a pending call, which would then wait
    // forever (the legacy SSE transport's stream carries every answer). Ask the server whether it is
    // still there; if not, end the session so that pending calls fail now and the next call reconnects.
    if (/SSE stream disconnected|reconnect|^SSE error/i.test(error.message)) hooks.streamBroke();
  };
  client.setNotificationHandler("notifications/tools/list_changed", async () => hooks.toolsChanged());
  const modelClient = hooks.modelClient;
  if (modelClient) {
    client.setRequestHandler("sampling/createMessage", async (request, context) => {
      const messages = samplingToMessages(request.params, hooks.serverName);
      const result = await modelClient.create(messages, { signal: context.mcpReq.signal });
      return createResultToSampling(result, modelClient.modelInfo.family);
    });
  }
  const elicit = hooks.elicitation;
  if (elicit) {
    client.setRequestHandler("elicitation/create", async (request, context) => {
      const p = request.params;
      const asked: McpElicitationRequest =
        p.mode === "url"
          ? {
              mode: "url",
              message: p.message,
              url: p.url,
              ...(p.elicitationId !== undefined ? { elicitationId: p.elicitationId } : {}),
            }
          : { mode: "form", message: p.message, requestedSchema: p.requestedSchema as JsonSchema };
      const answer = await elicit(asked, { signal: context.mcpReq.signal, server: hooks.serverName });
      if (answer.action === "accept" && asked.mode === "form") {
        return { action: "accept", content: withSchemaDefaults(answer.content, asked.requestedSchema) };
      }
      return {
        action: answer.action,
        ...(answer.content
          ? {
              content: structuredClone(answer.content) as Record<
                string,
                string | number | boolean | string[]
              >,
            }
          : {}),
      };
    });
  }
  if (hooks.roots() !== undefined) {
    client.setRequestHandler("roots/list", async () => {
      const given = hooks.roots();
      const roots = typeof given === "function" ? await given() : (given ?? []);
      return { roots: roots.map((r) => ({ uri: r.uri, ...(r.name !== undefined ? { name: r.name } : {}) })) };
    });
  }
}
