// Model-client stream benchmark: chunks per second through OpenAIChatCompletionClient.createStream for
// a long streamed completion served from a loopback server, beside a raw SSE parse (fetch + split +
// JSON.parse) of the very same bytes in the same run. Compare the ratio, not the absolute figures.
// Run with `npm run bench:models` (builds first).
import { createServer } from "node:http";
import os from "node:os";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import OpenAI from "openai";

const CHUNKS = 20_000;
const ROUNDS = 5;
const fmt = (n) => Math.round(n).toLocaleString("en-US");

/** The SSE bytes of one long completion: CHUNKS content deltas, a finish chunk, the usage chunk, [DONE]. */
function streamBytes() {
  const base = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "gpt-4o",
  };
  const frame = (obj) => `data: ${JSON.stringify(obj)}\n\n`;
  const parts = [
    frame({
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
    }),
  ];
  for (let i = 0; i < CHUNKS; i++) {
    parts.push(
      frame({
        ...base,
        choices: [{ index: 0, delta: { content: `tok${i % 97} ` }, logprobs: null, finish_reason: null }],
      }),
    );
  }
  parts.push(frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
  parts.push(
    frame({
      ...base,
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: CHUNKS, total_tokens: CHUNKS + 10 },
    }),
  );
  parts.push("data: [DONE]\n\n");
  return Buffer.from(parts.join(""));
}

const bytes = streamBytes();
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    // Written in 16 KiB slices, as a network would deliver it.
    for (let i = 0; i < bytes.length; i += 16_384) res.write(bytes.subarray(i, i + 16_384));
    res.end();
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/v1`;

/** Baseline: fetch the same bytes and parse the SSE frames by hand, counting content deltas. */
async function raw() {
  const res = await fetch(`${url}/chat/completions`, { method: "POST", body: "{}" });
  const decoder = new TextDecoder();
  let buffer = "";
  let chunks = 0;
  for await (const piece of res.body) {
    buffer += decoder.decode(piece, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.startsWith("data: ") ? frame.slice(6) : "";
      if (data && data !== "[DONE]") {
        const obj = JSON.parse(data);
        if (obj.choices[0]?.delta?.content) chunks++;
      }
      end = buffer.indexOf("\n\n");
    }
  }
  return chunks;
}

const client = new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: "bench-key", baseURL: url });
const messages = [{ type: "UserMessage", content: "Write a lot.", source: "user" }];

const sdk = new OpenAI({ apiKey: "bench-key", baseURL: url, maxRetries: 0 });

/** The SDK's own stream iteration, for what the SDK costs before autogen-ts adds anything. */
async function sdkOnly() {
  const stream = await sdk.chat.completions.create({ model: "gpt-4o", messages: [], stream: true });
  let chunks = 0;
  for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) chunks++;
  return chunks;
}

/** Through the client: createStream, counting text chunks until the final result. */
async function viaClient() {
  let chunks = 0;
  for await (const item of client.createStream(messages)) if (typeof item === "string") chunks++;
  return chunks;
}

async function measure(fn) {
  await fn(); // warm-up
  let total = 0;
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const n = await fn();
    if (n !== CHUNKS) throw new Error(`expected ${CHUNKS} chunks, got ${n}`);
    total += n;
  }
  return (total / (performance.now() - start)) * 1000;
}

// Alternate the two so that machine noise hits both alike.
const best = { raw: 0, sdk: 0, client: 0 };
for (let run = 0; run < 2; run++) {
  best.raw = Math.max(best.raw, await measure(raw));
  best.sdk = Math.max(best.sdk, await measure(sdkOnly));
  best.client = Math.max(best.client, await measure(viaClient));
}
const { raw: rawBest, sdk: sdkBest, client: clientBest } = best;
server.close();

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, node ${process.version}`);
console.log(
  `stream of ${fmt(CHUNKS)} chunks (${fmt(bytes.length / 1024)} KiB), ${ROUNDS} rounds each, best of 2 runs`,
);
console.log(`raw SSE parse (fetch + split + JSON.parse): ${fmt(rawBest)} chunks/s`);
console.log(`openai SDK stream iteration alone:          ${fmt(sdkBest)} chunks/s`);
console.log(`OpenAIChatCompletionClient.createStream:    ${fmt(clientBest)} chunks/s`);
console.log(
  `ratio client/raw: ${(clientBest / rawBest).toFixed(2)}, client/SDK: ${(clientBest / sdkBest).toFixed(2)}`,
);
