/**
 * The setup every model-client test shares: a scripted loopback server per test (started before,
 * closed after), the log records a client produced, a stream collector and the usual messages.
 */
import { type CreateResult, isCreateResult, type LLMMessage } from "@autogen-ts/core";
import { afterEach, beforeEach } from "vitest";
import type { ModelLogRecord } from "../../src/models/_shared/log.js";
import { type ModelServer, startModelServer } from "./model-server.js";

/** What {@link useModelServer} gives a test file; read its fields inside tests (they change per test). */
export interface ModelHarness {
  /** This test's server. */
  readonly server: ModelServer;
  /** The log records of this test's clients (pass `logger` to collect them). */
  readonly logs: ModelLogRecord[];
  /** A logger that appends to {@link logs}. */
  readonly logger: (record: ModelLogRecord) => void;
  /** The parsed body of request `i` (default the first). */
  body<T = Record<string, unknown>>(i?: number): T;
}

/** Starts a fresh scripted server before each test of the file and closes it after. */
export function useModelServer(): ModelHarness {
  let server: ModelServer | undefined;
  const logs: ModelLogRecord[] = [];
  beforeEach(async () => {
    server = await startModelServer();
    logs.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    get server() {
      if (!server) throw new Error("the model server runs only inside a test");
      return server;
    },
    logs,
    logger: (record) => logs.push(record),
    body<T>(i = 0) {
      return this.server.requests[i]?.body as T;
    },
  };
}

/** Reads a stream: the text chunks, and the final result. */
export async function collect(stream: AsyncIterable<string | CreateResult>) {
  const chunks: string[] = [];
  let result: CreateResult | undefined;
  for await (const item of stream) {
    if (isCreateResult(item)) result = item;
    else chunks.push(item);
  }
  return { chunks, result: result as CreateResult };
}

/** A user message. */
export const user = (content: string): LLMMessage => ({ type: "UserMessage", content, source: "user" });

/** A system prompt and a greeting. */
export const hello: LLMMessage[] = [{ type: "SystemMessage", content: "Be brief." }, user("Hi")];
