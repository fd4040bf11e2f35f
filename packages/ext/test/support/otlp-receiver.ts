/**
 * An OTLP/HTTP trace receiver for tests: a loopback server that accepts `POST /v1/traces` as
 * `application/x-protobuf` (decoded here from the protobuf wire format of `ExportTraceServiceRequest`)
 * or `application/json`, and keeps every span with its trace, parent and service.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A span as received. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** The endpoint to put in OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` is added by exporters). */
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  /** The content types of the requests received. */
  readonly contentTypes: string[];
  close(): Promise<void>;
}

// Protobuf wire format: a field is a varint key (number << 3 | wire type) then its value.
interface Field {
  readonly no: number;
  readonly type: number;
  readonly value: bigint | Uint8Array;
}

function readVarint(buf: Uint8Array, at: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[at.i++];
    if (byte === undefined) throw new Error("truncated varint");
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
}

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  const at = { i: 0 };
  while (at.i < buf.length) {
    const key = Number(readVarint(buf, at));
    const no = key >> 3;
    const type = key & 7;
    if (type === 0) out.push({ no, type, value: readVarint(buf, at) });
    else if (type === 1) {
      out.push({ no, type, value: buf.subarray(at.i, at.i + 8) });
      at.i += 8;
    } else if (type === 2) {
      const len = Number(readVarint(buf, at));
      out.push({ no, type, value: buf.subarray(at.i, at.i + len) });
      at.i += len;
    } else if (type === 5) {
      out.push({ no, type, value: buf.subarray(at.i, at.i + 4) });
      at.i += 4;
    } else throw new Error(`unsupported wire type ${type}`);
  }
  return out;
}

const bytes = (f: Field[], no: number) => f.filter((x) => x.no === no).map((x) => x.value as Uint8Array);
const hex = (b: Uint8Array | undefined) => (b === undefined ? "" : Buffer.from(b).toString("hex"));
const text = (b: Uint8Array | undefined) => (b === undefined ? "" : Buffer.from(b).toString("utf8"));

/** An AnyValue: string (1), bool (2), int (3), double (4). */
function anyValue(buf: Uint8Array): string | number | boolean {
  const f = fields(buf)[0];
  if (f === undefined) return "";
  if (f.no === 1) return text(f.value as Uint8Array);
  if (f.no === 2) return (f.value as bigint) !== 0n;
  if (f.no === 3) return Number(f.value as bigint);
  if (f.no === 4) return Buffer.from(f.value as Uint8Array).readDoubleLE(0);
  return "";
}

function keyValues(list: Uint8Array[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of list) {
    const f = fields(kv);
    out[text(bytes(f, 1)[0])] = anyValue(bytes(f, 2)[0] ?? new Uint8Array());
  }
  return out;
}

/** Decodes an `ExportTraceServiceRequest`: resource_spans(1) > resource(1), scope_spans(2) > spans(2). */
export function decodeTraceRequest(buf: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of bytes(fields(buf), 1)) {
    const rsf = fields(rs);
    const resource = keyValues(bytes(fields(bytes(rsf, 1)[0] ?? new Uint8Array()), 1));
    for (const ss of bytes(rsf, 2)) {
      for (const span of bytes(fields(ss), 2)) {
        const f = fields(span);
        spans.push({
          traceId: hex(bytes(f, 1)[0]),
          spanId: hex(bytes(f, 2)[0]),
          parentSpanId: hex(bytes(f, 4)[0]),
          name: text(bytes(f, 5)[0]),
          service: String(resource["service.name"] ?? ""),
          attributes: keyValues(bytes(f, 9)),
        });
      }
    }
  }
  return spans;
}

interface JsonKeyValue {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number };
}

function jsonAttributes(list: JsonKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? [])
    out[key] =
      value.stringValue ??
      value.boolValue ??
      (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? ""));
  return out;
}

/** Reads the JSON form (ids as hex strings, as OTLP/JSON writes them). */
export function decodeTraceJson(body: string): ReceivedSpan[] {
  const doc = JSON.parse(body) as {
    resourceSpans: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeSpans: {
        spans: {
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          attributes?: JsonKeyValue[];
        }[];
      }[];
    }[];
  };
  const spans: ReceivedSpan[] = [];
  for (const rs of doc.resourceSpans) {
    const service = String(jsonAttributes(rs.resource?.attributes)["service.name"] ?? "");
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans)
        spans.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          name: s.name,
          service,
          attributes: jsonAttributes(s.attributes),
        });
  }
  return spans;
}

/** Starts a receiver on 127.0.0.1 and a free port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const type = String(req.headers["content-type"] ?? "");
      contentTypes.push(type);
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      try {
        spans.push(
          ...(type.includes("json") ? decodeTraceJson(body.toString("utf8")) : decodeTraceRequest(body)),
        );
      } catch (error) {
        res.writeHead(400).end(String(error));
        return;
      }
      // An empty ExportTraceServiceResponse, in the request's encoding.
      if (type.includes("json")) res.writeHead(200, { "content-type": "application/json" }).end("{}");
      else res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Checks that spans form one tree: one trace id, one root, every other parent present. */
export function treeProblems(spans: readonly ReceivedSpan[]): string[] {
  const problems: string[] = [];
  const traces = new Set(spans.map((s) => s.traceId));
  if (traces.size !== 1) problems.push(`${traces.size} trace ids`);
  const ids = new Set(spans.map((s) => s.spanId));
  const roots = spans.filter((s) => s.parentSpanId === "");
  if (roots.length !== 1) problems.push(`${roots.length} roots: ${roots.map((r) => r.name).join(", ")}`);
  for (const s of spans)
    if (s.parentSpanId !== "" && !ids.has(s.parentSpanId))
      problems.push(`${s.name} has a parent that was not received`);
  return problems;
}
