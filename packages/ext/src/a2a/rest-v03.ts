/**
 * The A2A v0.3 HTTP+JSON (REST) binding: v0.3 clients call `/v1/message:send`, `/v1/tasks/{id}`, ... and
 * speak v0.3's protobuf JSON (`content` for parts, `update` for a status message, `TASK_STATE_*` enums),
 * which differs from v0.3's JSON-RPC objects. The SDK's framework-free `LegacyRestTransportHandler` does
 * the work in JSON-RPC objects; this file is only the codec between the two shapes (the SDK keeps its own
 * codec inside its Express router).
 */

import { type LegacyRestTransportHandler, toLegacyHTTPError } from "@a2a-js/sdk/compat/v0_3/server";
import { RequestMalformedError, restStatusFor } from "@a2a-js/sdk/errors";
import type { ServerCallContext } from "@a2a-js/sdk/server";
import { sseResponse } from "./sse.js";

type Json = Record<string, unknown>;

const STATES: Record<string, string> = {
  submitted: "TASK_STATE_SUBMITTED",
  working: "TASK_STATE_WORKING",
  "input-required": "TASK_STATE_INPUT_REQUIRED",
  completed: "TASK_STATE_COMPLETED",
  canceled: "TASK_STATE_CANCELLED",
  failed: "TASK_STATE_FAILED",
  rejected: "TASK_STATE_REJECTED",
  "auth-required": "TASK_STATE_AUTH_REQUIRED",
  unknown: "TASK_STATE_UNSPECIFIED",
};

/** v0.3 JSON-RPC objects to v0.3 protobuf JSON. */
const encode = {
  part(p: Json): Json {
    if (p.kind === "text") return { text: p.text };
    if (p.kind === "data") return { data: { data: p.data } };
    const file = (p.file ?? {}) as Json;
    return {
      file: {
        ...(file.uri !== undefined ? { fileWithUri: file.uri } : { fileWithBytes: file.bytes }),
        ...(file.mimeType !== undefined ? { mimeType: file.mimeType } : {}),
      },
    };
  },
  message(m: Json | undefined): Json | undefined {
    if (!m) return undefined;
    return {
      messageId: m.messageId,
      contextId: m.contextId ?? "",
      taskId: m.taskId ?? "",
      role: m.role === "agent" ? "ROLE_AGENT" : "ROLE_USER",
      content: ((m.parts ?? []) as Json[]).map(encode.part),
      ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
      ...(m.extensions !== undefined ? { extensions: m.extensions } : {}),
    };
  },
  status(s: Json | undefined): Json {
    const status = s ?? {};
    return {
      state: STATES[String(status.state)] ?? "TASK_STATE_UNSPECIFIED",
      ...(status.message ? { update: encode.message(status.message as Json) } : {}),
      ...(status.timestamp ? { timestamp: status.timestamp } : {}),
    };
  },
  artifact(a: Json): Json {
    return {
      artifactId: a.artifactId,
      ...(a.name !== undefined ? { name: a.name } : {}),
      ...(a.description !== undefined ? { description: a.description } : {}),
      parts: ((a.parts ?? []) as Json[]).map(encode.part),
      ...(a.metadata !== undefined ? { metadata: a.metadata } : {}),
    };
  },
  task(t: Json): Json {
    return {
      id: t.id,
      contextId: t.contextId,
      status: encode.status(t.status as Json),
      artifacts: ((t.artifacts ?? []) as Json[]).map(encode.artifact),
      history: ((t.history ?? []) as Json[]).map((m) => encode.message(m)),
      ...(t.metadata !== undefined ? { metadata: t.metadata } : {}),
    };
  },
  /** A send result or stream event, as the `oneof` its kind stands for. */
  event(e: Json): Json {
    switch (e.kind) {
      case "task":
        return { task: encode.task(e) };
      case "message":
        return { msg: encode.message(e) };
      case "status-update":
        return {
          statusUpdate: {
            taskId: e.taskId,
            contextId: e.contextId,
            status: encode.status(e.status as Json),
            final: e.final ?? false,
            ...(e.metadata !== undefined ? { metadata: e.metadata } : {}),
          },
        };
      default:
        return {
          artifactUpdate: {
            taskId: e.taskId,
            contextId: e.contextId,
            artifact: encode.artifact(e.artifact as Json),
            append: e.append ?? false,
            lastChunk: e.lastChunk ?? false,
            ...(e.metadata !== undefined ? { metadata: e.metadata } : {}),
          },
        };
    }
  },
  pushConfig(c: Json): Json {
    const config = (c.pushNotificationConfig ?? {}) as Json;
    return {
      name: `tasks/${c.taskId}/pushNotificationConfigs/${config.id ?? ""}`,
      pushNotificationConfig: {
        id: config.id ?? "",
        url: config.url,
        token: config.token ?? "",
        ...(config.authentication ? { authentication: config.authentication } : {}),
      },
    };
  },
};

/** v0.3 protobuf JSON to v0.3 JSON-RPC objects. */
const decode = {
  part(p: Json): Json {
    if (typeof p.text === "string") return { kind: "text", text: p.text };
    if (p.data !== undefined) return { kind: "data", data: (p.data as Json).data ?? {} };
    if (p.file !== undefined) {
      const f = p.file as Json;
      return {
        kind: "file",
        file: {
          ...(f.fileWithUri !== undefined ? { uri: f.fileWithUri } : { bytes: f.fileWithBytes }),
          ...(f.mimeType ? { mimeType: f.mimeType } : {}),
        },
      };
    }
    throw new RequestMalformedError("A part must hold text, a file or data");
  },
  message(m: unknown): Json {
    if (typeof m !== "object" || m === null)
      throw new RequestMalformedError("request (the message) is required");
    const message = m as Json;
    return {
      kind: "message",
      messageId: message.messageId,
      role: message.role === "ROLE_AGENT" || message.role === 2 ? "agent" : "user",
      parts: ((message.content ?? []) as Json[]).map(decode.part),
      ...(message.contextId ? { contextId: message.contextId } : {}),
      ...(message.taskId ? { taskId: message.taskId } : {}),
      ...(message.metadata !== undefined ? { metadata: message.metadata } : {}),
      ...(message.extensions !== undefined ? { extensions: message.extensions } : {}),
    };
  },
  pushConfig(c: Json | undefined): Json | undefined {
    if (!c) return undefined;
    return {
      ...(c.id ? { id: c.id } : {}),
      url: c.url,
      ...(c.token ? { token: c.token } : {}),
      ...(c.authentication ? { authentication: c.authentication } : {}),
    };
  },
  sendParams(body: Json): Json {
    const configuration = body.configuration as Json | undefined;
    const push = decode.pushConfig(configuration?.pushNotification as Json | undefined);
    return {
      message: decode.message(body.request ?? body.message),
      ...(configuration
        ? {
            configuration: {
              ...(configuration.blocking !== undefined ? { blocking: configuration.blocking } : {}),
              ...(configuration.acceptedOutputModes
                ? { acceptedOutputModes: configuration.acceptedOutputModes }
                : {}),
              ...(configuration.historyLength ? { historyLength: configuration.historyLength } : {}),
              ...(push ? { pushNotificationConfig: push } : {}),
            },
          }
        : {}),
      ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
    };
  },
};

function legacyError(error: unknown): Response {
  return Response.json(toLegacyHTTPError(error), { status: restStatusFor(error) });
}

/** Answers one v0.3 REST request; `subpath` starts with `/v1/`. */
export async function handleLegacyRest(
  request: Request,
  subpath: string,
  handler: LegacyRestTransportHandler,
  context: ServerCallContext,
): Promise<Response> {
  const url = new URL(request.url);
  const route = `${request.method} ${subpath.replace(/^\/v1\/tasks\/[^/:]+/, "/v1/tasks/{id}").replace(/pushNotificationConfigs\/[^/]+$/, "pushNotificationConfigs/{cid}")}`;
  const taskId = decodeURIComponent(/^\/v1\/tasks\/([^/:]+)/.exec(subpath)?.[1] ?? "");
  const configId = decodeURIComponent(/pushNotificationConfigs\/([^/]+)$/.exec(subpath)?.[1] ?? "");
  let body: Json = {};
  try {
    if (request.method === "POST") {
      const text = await request.text();
      const parsed: unknown = text.trim() === "" ? null : JSON.parse(text);
      if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
        throw new RequestMalformedError("The body must be a JSON object.");
      }
      body = (parsed ?? {}) as Json;
    }
  } catch (error) {
    return legacyError(
      error instanceof SyntaxError ? new RequestMalformedError("Invalid JSON payload.") : error,
    );
  }
  try {
    switch (route) {
      case "POST /v1/message:send": {
        const result = (await handler.sendMessage(
          decode.sendParams(body) as never,
          context,
        )) as unknown as Json;
        return Response.json(encode.event(result));
      }
      case "POST /v1/message:stream": {
        const stream = await handler.sendMessageStream(decode.sendParams(body) as never, context);
        return stream$(stream as AsyncIterable<unknown>);
      }
      case "GET /v1/tasks/{id}:subscribe":
      case "POST /v1/tasks/{id}:subscribe":
        return stream$((await handler.resubscribe(taskId, context)) as AsyncIterable<unknown>);
      case "POST /v1/tasks/{id}:cancel":
        return Response.json(encode.task((await handler.cancelTask(taskId, context)) as unknown as Json));
      case "GET /v1/tasks/{id}": {
        const history = url.searchParams.get("historyLength") ?? undefined;
        return Response.json(
          encode.task((await handler.getTask(taskId, context, history)) as unknown as Json),
        );
      }
      case "POST /v1/tasks/{id}/pushNotificationConfigs": {
        const config = decode.pushConfig(body.pushNotificationConfig as Json | undefined) ?? {};
        const saved = await handler.setTaskPushNotificationConfig(
          { taskId, pushNotificationConfig: config } as never,
          context,
        );
        return Response.json(encode.pushConfig(saved as unknown as Json), { status: 201 });
      }
      case "GET /v1/tasks/{id}/pushNotificationConfigs": {
        const configs = await handler.listTaskPushNotificationConfigs(taskId, context);
        return Response.json({
          configs: (configs as unknown as Json[]).map(encode.pushConfig),
          nextPageToken: "",
        });
      }
      case "GET /v1/tasks/{id}/pushNotificationConfigs/{cid}":
        return Response.json(
          encode.pushConfig(
            (await handler.getTaskPushNotificationConfig(taskId, configId, context)) as unknown as Json,
          ),
        );
      case "DELETE /v1/tasks/{id}/pushNotificationConfigs/{cid}":
        await handler.deleteTaskPushNotificationConfig(taskId, configId, context);
        return new Response(null, { status: 204 });
      default:
        return Response.json(
          { code: -32601, message: `No A2A v0.3 route ${request.method} ${subpath}` },
          { status: 404 },
        );
    }
  } catch (error) {
    return legacyError(error);
  }
}

function stream$(events: AsyncIterable<unknown>): Promise<Response> {
  return sseResponse(events, {
    event: (e) => encode.event(e as Json),
    error: (error) => toLegacyHTTPError(error),
    before: legacyError,
  });
}
