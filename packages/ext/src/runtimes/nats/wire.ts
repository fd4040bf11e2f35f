/**
 * What crosses NATS: subject names, header names, message payloads (the serialization registry's JSON,
 * type name in a header) and errors as plain data. Shared by the caller and the worker sides.
 */
import {
  AutogenError,
  DeliveryError,
  JSON_DATA_CONTENT_TYPE,
  restoreErrorIdentity,
  type SerializationRegistry,
  ValidationError,
} from "@autogen-ts/core";
import { type MsgHdrs, headers as natsHeaders } from "@nats-io/transport-node";

/** Header names, after CloudEvents' attributes (as AutoGen's gRPC runtime carries them). */
export const H = {
  /** The message id (`ce-id`). */
  id: "ce-id",
  /** The payload's type name in the serialization registry (`ce-type`). */
  type: "ce-type",
  /** The payload's content type. */
  contentType: "ce-datacontenttype",
  /** What the message is: `rpc`, `event`, or a control request (`save`, `load`, `meta`). */
  kind: "ag-kind",
  /** The recipient agent's key (URI-encoded). */
  key: "ag-key",
  /** The sending agent, `type/key` (URI-encoded). */
  sender: "ag-sender",
  /** A published message's topic type and source (source URI-encoded). */
  topicType: "ag-topic-type",
  topicSource: "ag-topic-source",
  /** The request's id, which the caller's cancel names. */
  request: "ag-request",
  /** A reply's status: `ack` (a worker took the request), `ok` or `error`. */
  status: "ag-status",
  /** The worker that sent a reply. */
  worker: "ag-worker",
} as const;

/** The kinds of message an agent subject carries. */
export type WireKind = "rpc" | "event" | "save" | "load" | "meta";

/** The type name of a missing value (a handler that returned nothing). */
export const VOID_TYPE = "autogen.void";
/** The type name of plain JSON data (primitives, arrays, plain objects) that no codec claims. */
export const JSON_TYPE = "autogen.json";

/**
 * Makes any string one safe subject token: letters, digits and `_` stay; every other UTF-8 byte becomes
 * `-XX`; the empty string is `-`. Reversible, and never `.`, `*`, `>` or whitespace.
 */
export function subjectToken(value: string): string {
  if (value === "") return "-";
  if (/^\w+$/.test(value)) return value;
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    out += /\w/.test(c) ? c : `-${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** The subjects of one runtime network, all under one prefix. */
export class Subjects {
  constructor(readonly prefix: string) {}

  /** Requests and events for one agent type. */
  agent(type: string): string {
    return `${this.prefix}.agent.${subjectToken(type)}`;
  }

  /** Messages published to one topic. */
  topic(type: string, source: string): string {
    return `${this.prefix}.topic.${subjectToken(type)}.${subjectToken(source)}`;
  }

  /** Every source of one topic type. */
  topicType(type: string): string {
    return `${this.prefix}.topic.${subjectToken(type)}.*`;
  }

  /** Every topic. */
  allTopics(): string {
    return `${this.prefix}.topic.>`;
  }

  /** One worker's liveness checks. */
  worker(id: string): string {
    return `${this.prefix}.worker.${subjectToken(id)}`;
  }

  /** Cancellations, heard by every worker. */
  cancel(): string {
    return `${this.prefix}.cancel`;
  }
}

/** A payload ready to send: its type name, content type and bytes. */
export interface EncodedPayload {
  readonly typeName: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isPlainData(value: unknown): boolean {
  if (value === null) return true;
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean") return true;
  if (Array.isArray(value)) return true;
  if (t !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Encodes a message or reply with its registered codec; plain JSON data without one travels as
 * {@link JSON_TYPE}, `undefined` as {@link VOID_TYPE}. Anything else (a class instance with no codec)
 * is a {@link ValidationError}.
 */
export function encodePayload(registry: SerializationRegistry, value: unknown): EncodedPayload {
  if (value === undefined) return { typeName: VOID_TYPE, contentType: JSON_DATA_CONTENT_TYPE, data: EMPTY };
  if (registry.typeNameOf(value) === undefined && isPlainData(value)) {
    return {
      typeName: JSON_TYPE,
      contentType: JSON_DATA_CONTENT_TYPE,
      data: encoder.encode(JSON.stringify(value)),
    };
  }
  const s = registry.serialize(value);
  return { typeName: s.typeName, contentType: s.dataContentType, data: encoder.encode(s.data) };
}

/** Decodes what {@link encodePayload} made; an unknown type name is a {@link ValidationError}. */
export function decodePayload(
  registry: SerializationRegistry,
  typeName: string,
  contentType: string,
  data: Uint8Array,
): unknown {
  if (typeName === VOID_TYPE) return undefined;
  const text = decoder.decode(data);
  if (typeName === JSON_TYPE) return JSON.parse(text);
  return registry.deserialize({ typeName, dataContentType: contentType, data: text });
}

/** An empty payload. */
export const EMPTY = new Uint8Array(0);

/** An error as JSON: what the caller needs to rebuild a typed error. */
export interface ErrorJSON {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
  readonly cause?: ErrorJSON;
}

/** An error as plain data, with its cause chain (three levels at most); details only when they are JSON. */
export function errorToJSON(error: unknown, depth = 0): ErrorJSON {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const code = (error as { code?: unknown }).code;
  const details = AutogenError.isInstance(error) ? error.details : undefined;
  let safeDetails: Record<string, unknown> | undefined;
  if (details !== undefined) {
    try {
      safeDetails = JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
    } catch {
      safeDetails = undefined;
    }
  }
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
    ...(safeDetails === undefined ? {} : { details: safeDetails }),
    ...(error.cause !== undefined && depth < 3 ? { cause: errorToJSON(error.cause, depth + 1) } : {}),
  };
}

/**
 * Rebuilds an error sent by a worker. An autogen-ts error comes back as an `AutogenError` under its
 * original name (so `ToolError.isInstance(e)` and the like still hold) and code; any other error as an
 * `Error` with the original `name` and `code`.
 */
export function errorFromJSON(json: ErrorJSON, extraDetails?: Record<string, unknown>): Error {
  const cause = json.cause === undefined ? undefined : errorFromJSON(json.cause);
  const options = {
    ...(cause === undefined ? {} : { cause }),
    details: { ...json.details, ...extraDetails },
  };
  let error: Error;
  if (json.name === "DeliveryError" && json.code !== undefined) {
    error = new DeliveryError(
      json.code as ConstructorParameters<typeof DeliveryError>[0],
      json.message,
      options,
    );
  } else if (json.code !== undefined && isAutogenCode(json.code)) {
    error = new AutogenError(json.code as AutogenError["code"], json.message, options);
  } else {
    error = new Error(json.message, cause === undefined ? undefined : { cause });
    if (json.code !== undefined) Object.defineProperty(error, "code", { value: json.code, enumerable: true });
  }
  restoreErrorIdentity(error, json.name);
  return error;
}

const AUTOGEN_CODES = new Set<string>([
  "invalid_argument",
  "invalid_state",
  "invalid_config",
  "undeliverable",
  "cant_handle",
  "message_dropped",
  "handler_failed",
  "not_running",
  "worker_lost",
  "cancelled",
  "timeout",
  "model_capability",
  "model_output",
  "provider_error",
  "rate_limited",
  "replay_exhausted",
  "tool_error",
  "unknown_tool",
  "execution_error",
  "internal",
]);

function isAutogenCode(code: string): boolean {
  return AUTOGEN_CODES.has(code);
}

/** Reads an error body; a malformed one is still an error, with the text as its message. */
export function readErrorBody(data: Uint8Array): ErrorJSON {
  const text = decoder.decode(data);
  try {
    const json = JSON.parse(text) as ErrorJSON;
    if (typeof json === "object" && json !== null && typeof json.message === "string") return json;
  } catch {
    // fall through
  }
  return { name: "Error", message: text };
}

/** Encodes text. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes text. */
export function fromUtf8(data: Uint8Array): string {
  return decoder.decode(data);
}

/** Parses a `type/key` header value back into an id; undefined when absent or malformed. */
export function parseSender(value: string): { type: string; key: string } | undefined {
  if (value === "") return undefined;
  const text = decodeURIComponent(value);
  const slash = text.indexOf("/");
  if (slash <= 0) return undefined;
  return { type: text.slice(0, slash), key: text.slice(slash + 1) };
}

/** A validation error for a payload that cannot be decoded here. */
export function undecodable(typeName: string, cause: unknown): ValidationError {
  return new ValidationError(
    `This worker cannot decode a "${typeName}" message: register its codec with addMessageSerializer on every runtime`,
    { cause },
  );
}

/** The headers every message carries: its id, payload type and content type, and the sender if any. */
export function messageHeaders(
  payload: EncodedPayload,
  messageId: string,
  sender: { type: string; key: string } | undefined,
): MsgHdrs {
  const h = natsHeaders();
  h.set(H.id, messageId);
  h.set(H.type, payload.typeName);
  h.set(H.contentType, payload.contentType);
  if (sender !== undefined) h.set(H.sender, encodeURIComponent(`${sender.type}/${sender.key}`));
  return h;
}
