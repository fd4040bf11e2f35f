/**
 * A loopback server speaking OpenAI's chat-completions wire format (streamed or not) for the studio's
 * tests. It answers a conversation predictably: with a `calculator` tool on offer and a task that says
 * "calculate a op b", it calls the tool; once a tool result is in the conversation, it reports it and
 * says TERMINATE; otherwise `reply N to: <last message>`. `hold()` parks every new call until
 * `release()`, so a test can look at a run that is still going (no timing involved). A task saying
 * "fail midway" gets one answer, then HTTP 400 for every later call.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface Message {
  role: string;
  content?: unknown;
}

export interface FakeOpenAI {
  /** The base URL (`http://127.0.0.1:PORT/v1`). */
  readonly url: string;
  readonly calls: number;
  /** Resolves once `n` calls have arrived (answered or held). */
  callsReached(n: number): Promise<void>;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

function answer(body: {
  messages?: Message[];
  tools?: { function: { name: string } }[];
}): { text: string } | { tool: { name: string; arguments: string } } {
  const messages = body.messages ?? [];
  const toolResult = messages.find((m) => m.role === "tool");
  if (toolResult !== undefined) return { text: `The answer is ${String(toolResult.content)}. TERMINATE` };
  const task = messages.find((m) => m.role === "user");
  const taskText = typeof task?.content === "string" ? task.content : "";
  const calc = /calculate (\d+) *([-+*/]) *(\d+)/.exec(taskText);
  if (calc && body.tools?.some((t) => t.function.name === "calculator")) {
    return {
      tool: {
        name: "calculator",
        arguments: JSON.stringify({ a: Number(calc[1]), b: Number(calc[3]), operator: calc[2] }),
      },
    };
  }
  const last = messages.at(-1);
  const turns = messages.filter((m) => m.role === "assistant").length;
  const text = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
  return { text: `reply ${turns + 1} to: ${text.slice(0, 60)}` };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let calls = 0;
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    calls++;
    for (const w of waiters.filter((w) => calls >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    if (gate) await gate.promise;
    // A task that asks for it makes every call after the first fail: a run that fails mid-way.
    const task = (body.messages as Message[] | undefined)?.find((m) => m.role === "user")?.content;
    if (
      typeof task === "string" &&
      task.includes("fail midway") &&
      body.messages.some((m: Message) => m.role === "assistant")
    ) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { message: "the fake model refuses", type: "invalid_request_error" } }),
      );
      return;
    }
    const reply = answer(body);
    const base = { id: `chatcmpl-${calls}`, created: 1, model: body.model ?? "fake" };
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    const message =
      "text" in reply
        ? { role: "assistant", content: reply.text }
        : {
            role: "assistant",
            content: null,
            tool_calls: [{ id: `call_${calls}`, type: "function", function: reply.tool }],
          };
    const finish = "text" in reply ? "stop" : "tool_calls";
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message, finish_reason: finish }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const send = (delta: unknown, finishReason: string | null, extra = {}) =>
      res.write(
        `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
      );
    if ("text" in reply) for (const word of reply.text.split(/(?<= )/)) send({ content: word }, null);
    else send({ role: "assistant", tool_calls: [{ index: 0, ...message.tool_calls?.[0] }] }, null);
    send({}, finish, { usage });
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get calls() {
      return calls;
    },
    callsReached: (n) =>
      calls >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    hold: () => {
      if (gate) return;
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
    },
    release: () => {
      gate?.open();
      gate = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        gate?.open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
