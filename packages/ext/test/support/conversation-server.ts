/**
 * A loopback OpenAI chat-completions server whose answer depends only on the conversation it is sent,
 * so that a team rebuilt in a fresh process after a crash gets the same answers as the run it continues.
 * The agent is the first word of the system message ("writer: ..."); its turn count is the number of
 * assistant messages in the request. An agent offered tools asks for `count` twice in parallel on even
 * counts and answers in words on odd ones; without tools it always answers in words. Every request is
 * logged, and a hook sees it before the answer (a chaos test kills its child there).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chatCompletionBody } from "./openai-wire.js";

/** A request the server answered (or was answering when the client went away). */
export interface ConversationRequest {
  readonly agent: string;
  readonly turn: number;
  /** 1-based, over the server's life. */
  readonly index: number;
}

/** Options of {@link startConversationServer}. */
export interface ConversationServerOptions {
  /** Milliseconds before each answer (default 0). */
  readonly delayMs?: number;
  /** Called with each request before it is answered; may wait (the client is then "inside" the call). */
  readonly onRequest?: (request: ConversationRequest) => void | Promise<void>;
  /** Words an agent without tools says at a given turn instead of the default (to end a run). */
  readonly say?: (agent: string, turn: number) => string | undefined;
}

/** The running server. */
export interface ConversationServer {
  readonly url: string;
  readonly requests: ConversationRequest[];
  close(): Promise<void>;
}

interface WireMessage {
  role: string;
  content?: unknown;
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startConversationServer(
  options: ConversationServerOptions = {},
): Promise<ConversationServer> {
  const requests: ConversationRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      const parsed = JSON.parse(body || "{}") as { messages?: WireMessage[]; tools?: unknown[] };
      const messages = parsed.messages ?? [];
      const system = messages.find((m) => m.role === "system");
      const agent =
        String(system?.content ?? "agent")
          .split(":")[0]
          ?.trim() || "agent";
      const turn = messages.filter((m) => m.role === "assistant").length;
      const request = { agent, turn, index: requests.length + 1 };
      requests.push(request);
      await options.onRequest?.(request);
      if ((options.delayMs ?? 0) > 0) await new Promise((r) => setTimeout(r, options.delayMs));
      const tools = (parsed.tools?.length ?? 0) > 0;
      const reply =
        tools && turn % 2 === 0
          ? chatCompletionBody({
              toolCalls: [
                { id: `${agent}-${turn}-a`, name: "count", arguments: JSON.stringify({ x: turn }) },
                { id: `${agent}-${turn}-b`, name: "count", arguments: JSON.stringify({ x: turn + 1 }) },
              ],
            })
          : chatCompletionBody({ content: options.say?.(agent, turn) ?? `${agent} says ${turn}` });
      if (res.destroyed) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
