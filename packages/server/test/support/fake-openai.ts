/**
 * A loopback server speaking OpenAI's chat-completions wire format, for the teams the server tests run.
 * Its answer is a function of the request (`reply to: <last message>`, numbered by how many assistant
 * turns the conversation already holds), so any number of runs, in any order or at once, get answers
 * that a reference run can predict. `delayMs` makes each call take that long (the bench's fake model).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running fake model. */
export interface FakeOpenAI {
  readonly url: string;
  /** Chat-completion calls answered so far. */
  calls: number;
  close(): Promise<void>;
}

/** What the fake answers to a conversation. */
export function fakeAnswer(messages: readonly { role: string; content?: unknown }[]): string {
  const last = messages.at(-1);
  const turns = messages.filter((m) => m.role === "assistant").length;
  const text = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
  return `reply ${turns + 1} to: ${text.slice(0, 60)}`;
}

/** Starts the fake on 127.0.0.1 (a free port). */
export async function startFakeOpenAI(options: { delayMs?: number } = {}): Promise<FakeOpenAI> {
  const state = { calls: 0 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
      model?: string;
      messages?: { role: string; content?: unknown }[];
      stream?: boolean;
    };
    state.calls++;
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const text = fakeAnswer(body.messages ?? []);
    const base = { id: `chatcmpl-${state.calls}`, created: 1, model: body.model ?? "fake" };
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const words = text.split(/(?<= )/);
    for (const word of words) {
      res.write(
        `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`,
      );
    }
    res.write(
      `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } })}\n\n`,
    );
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeOpenAI = {
    url: `http://127.0.0.1:${port}/v1`,
    get calls() {
      return state.calls;
    },
    set calls(value: number) {
      state.calls = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
