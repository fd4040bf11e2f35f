// The performance figures of issue 21 in one go (`npm run bench`: builds, then runs this with
// --expose-gc). Each figure is printed beside a raw baseline measured in the same run, on the same
// zero-cost (or fixed-latency) fake model and the same tool; compare ratios, not times.
//
//   node --expose-gc bench/all.mjs [--quick]
//
// Imports the built packages (dist), as an application would.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AssistantAgent, RoundRobinGroupChat } from "@autogen-ts/agentchat";
import { BufferedChatCompletionContext, FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { z } from "zod";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const USAGE = { promptTokens: 10, completionTokens: 5 };
const TASK = "What is the weather in Paris?";
const SYSTEM = { type: "SystemMessage", content: "You are a helpful assistant." };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 1) => x.toFixed(d);
const mark = (ok) => (ok ? "met" : "NOT MET");
const results = [];
const report = (name, value, baseline, ratio, bar, ok) => {
  results.push({ name, value, baseline, ratio, bar, ok });
  console.log(`  ${name}: ${value}  |  raw: ${baseline}  |  ${ratio}  |  bar ${bar}: ${mark(ok)}`);
};

/** A model that answers at once and keeps nothing: the cost floor of a model call. */
class InstantModel {
  modelInfo = {
    vision: false,
    functionCalling: true,
    jsonOutput: true,
    structuredOutput: true,
    family: "fake",
  };
  #n = 0;
  async create() {
    this.#n += 1;
    return { content: `turn ${this.#n}`, usage: USAGE, finishReason: "stop", cached: false };
  }
  async *createStream(messages, options) {
    yield await this.create(messages, options);
  }
  actualUsage() {
    return USAGE;
  }
  totalUsage() {
    return USAGE;
  }
  countTokens() {
    return 0;
  }
  remainingTokens() {
    return 1_000_000;
  }
  async close() {}
}

function heapMb() {
  for (let i = 0; i < 3; i++) global.gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

// ---- 1. a long two-agent run ----

async function longRun() {
  const turns = quick ? 20_000 : 100_000;
  const block = turns / 10;
  const window = 10;
  // Raw: two models answering in turn, each given its own last `window` messages, as a buffered context does.
  const raw = async () => {
    const models = [new InstantModel(), new InstantModel()];
    const histories = [[], []];
    const times = [];
    let t = performance.now();
    let last = { type: "UserMessage", content: "Count with me.", source: "user" };
    for (let i = 0; i < turns; i++) {
      const h = histories[i % 2];
      h.push(last);
      if (h.length > window) h.shift();
      const r = await models[i % 2].create([SYSTEM, ...h]);
      last = { type: "UserMessage", content: r.content, source: `agent${i % 2}` };
      h.push({ type: "AssistantMessage", content: r.content, source: `agent${i % 2}` });
      if (h.length > window) h.shift();
      if ((i + 1) % block === 0) {
        const now = performance.now();
        times.push(((now - t) * 1000) / block);
        t = now;
      }
    }
    return times;
  };
  const team = async () => {
    const agents = [0, 1].map(
      (i) =>
        new AssistantAgent({
          name: `agent${i}`,
          modelClient: new InstantModel(),
          systemMessage: SYSTEM.content,
          modelContext: new BufferedChatCompletionContext({ bufferSize: window }),
        }),
    );
    const chat = new RoundRobinGroupChat({ participants: agents, maxTurns: turns });
    const times = [];
    const heap = [];
    let count = 0;
    let t = performance.now();
    for await (const item of chat.runStream({ task: "Count with me." })) {
      if ("stopReason" in item || item.source === "user") continue;
      count += 1;
      if (count % block === 0) {
        const now = performance.now();
        times.push(((now - t) * 1000) / block);
        heap.push(heapMb());
        t = performance.now();
      }
    }
    await chat.close();
    return { times, heap };
  };
  const rawTimes = await raw();
  const { times, heap } = await team();
  const first = times[0];
  const lastBlock = times.at(-1);
  console.log(
    `\n1. a ${turns.toLocaleString()}-turn two-agent RoundRobinGroupChat, buffered contexts of ${window}:`,
  );
  console.log(
    `  us per turn, per block of ${block.toLocaleString()} turns: ${times.map((x) => fmt(x)).join(" ")}`,
  );
  console.log(`  raw loop, the same blocks:                  ${rawTimes.map((x) => fmt(x, 2)).join(" ")}`);
  console.log(`  heap after GC at each block, MB:            ${heap.map((x) => fmt(x)).join(" ")}`);
  const ratio = lastBlock / first;
  report(
    "last block / first block",
    `${fmt(lastBlock)} / ${fmt(first)} us per turn`,
    `${fmt(rawTimes.at(-1), 2)} / ${fmt(rawTimes[0], 2)} us`,
    `${fmt(ratio, 2)}x`,
    "<= 1.2x",
    ratio <= 1.2,
  );
  const growth = (heap.at(-1) - heap[0]) / (turns - block);
  report(
    "heap growth per turn after the first block",
    `${fmt(growth * 1048576, 0)} bytes`,
    "0 (the contexts hold at most 2 windows)",
    `${fmt(heap.at(-1) - heap[0])} MB over the run`,
    "bounded by the window",
    growth * 1048576 < 16,
  );
}

// ---- 2. idle agents ----

function idleAgents() {
  const client = new ReplayChatCompletionClient({ responses: [] });
  const tool = new FunctionTool({
    name: "get_weather",
    description: "Weather for a city",
    parameters: z.object({ city: z.string() }),
    run: async ({ city }) => `${city}: 23C`,
  });
  const N = 1000;
  const keep = [];
  const measure = (make) => {
    keep.length = 0;
    const before = heapMb();
    for (let i = 0; i < N; i++) keep.push(make(i));
    return heapMb() - before;
  };
  const agent = (i) =>
    new AssistantAgent({
      name: `agent_${i}`,
      modelClient: client,
      tools: [tool],
      systemMessage: SYSTEM.content,
    });
  const plain = (i) => ({ name: `agent_${i}`, client, tools: [tool], system: SYSTEM, messages: [] });
  const mem = { agent: [], raw: [] };
  for (let r = 0; r < 5; r++) {
    mem.raw.push(measure(plain));
    mem.agent.push(measure(agent));
  }
  keep.length = 0;
  // Construction: many agents built in a row and dropped, best batch of several, beside plain objects.
  const perBatch = quick ? 20_000 : 100_000;
  const time = (make) => {
    let best = Infinity;
    // Each object is stored (and later overwritten), so that neither side can be optimised away.
    const slots = new Array(1024);
    for (let b = 0; b < 7; b++) {
      const t = performance.now();
      for (let i = 0; i < perBatch; i++) slots[i & 1023] = make(i & 1023);
      best = Math.min(best, ((performance.now() - t) * 1000) / perBatch);
    }
    return best;
  };
  for (let i = 0; i < 20_000; i++) agent(i & 1023);
  const ctor = { agent: [], raw: [] };
  for (let r = 0; r < 3; r++) {
    ctor.raw.push(time(plain));
    ctor.agent.push(time(agent));
  }
  console.log("\n2. 1,000 idle AssistantAgents (a system message, a model client and a tool each):");
  const m = median(mem.agent);
  report(
    "retained heap",
    `${fmt(m, 3)} MB`,
    `plain objects ${fmt(median(mem.raw), 3)} MB`,
    `${fmt(m / median(mem.raw), 2)}x`,
    "<= 0.3 MB",
    m <= 0.3,
  );
  const c = median(ctor.agent);
  report(
    "construction, each",
    `${fmt(c, 3)} us`,
    `plain object ${fmt(median(ctor.raw), 3)} us`,
    `${fmt(c / median(ctor.raw), 1)}x`,
    "< 1 us",
    c < 1,
  );
}

// ---- 3. cold import ----

function coldImport() {
  const run = (args) => {
    const t = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    if (child.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${child.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const bare = [];
  const agentchat = [];
  const n = quick ? 7 : 21;
  for (let i = 0; i < n; i++) {
    bare.push(run(["-e", ""]));
    agentchat.push(run(["--input-type=module", "-e", 'await import("@autogen-ts/agentchat");']));
  }
  // Tracing is still on as soon as a provider is registered: a fresh process imports agentchat, then
  // registers an SDK provider, runs an agent and counts the spans.
  const probe = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { AssistantAgent } = await import("@autogen-ts/agentchat");
       const { ReplayChatCompletionClient } = await import("@autogen-ts/core/testing");
       const { trace } = await import("@opentelemetry/api");
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
       const exporter = new InMemorySpanExporter();
       trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
       await new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient(["hi"]) }).run({ task: "t" });
       process.stdout.write(exporter.getFinishedSpans().map((s) => s.name).join(","));`,
    ],
    { cwd: root, encoding: "utf8" },
  );
  const spans = probe.status === 0 ? probe.stdout : `failed: ${probe.stderr}`;
  const b = median(bare);
  const a = median(agentchat);
  console.log(`\n3. a fresh node process, wall time (median of ${n}, alternating):`);
  report(
    "import @autogen-ts/agentchat and exit",
    `${fmt(a)} ms`,
    `node -e '' ${fmt(b)} ms`,
    `${fmt(a / b, 2)}x`,
    "<= 1.5x",
    a / b <= 1.5,
  );
  console.log(`  spans once a provider is registered after the import: ${spans || "(none)"}`);
}

// ---- 4. the tool loop ----

const weather = new FunctionTool({
  name: "get_weather",
  description: "Weather for a city",
  parameters: z.object({ city: z.string() }),
  run: async ({ city }) => `${city}: 23C, sunny`,
});
const CALL = { content: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] };

async function rawToolLoop(client, rounds) {
  const messages = [SYSTEM, { type: "UserMessage", content: TASK, source: "user" }];
  for (;;) {
    const r = await client.create(messages, { tools: [weather.schema] });
    if (typeof r.content === "string" || rounds-- === 0) return r.content;
    const out = await Promise.all(
      r.content.map(async (call) => {
        const result = await weather.call(call.arguments, { callId: call.id });
        return { content: result.result[0].text, name: call.name, callId: call.id, isError: result.isError };
      }),
    );
    messages.push({ type: "AssistantMessage", content: r.content, source: "agent" });
    messages.push({ type: "FunctionExecutionResultMessage", content: out });
  }
}

async function toolLoop() {
  const client = new ReplayChatCompletionClient({
    responses: [
      { ...CALL, usage: USAGE },
      { content: "It is 23C and sunny in Paris.", usage: USAGE },
    ],
  });
  const agent = new AssistantAgent({
    name: "agent",
    modelClient: client,
    tools: [weather],
    systemMessage: SYSTEM.content,
    reflectOnToolUse: true,
  });
  const runs = {
    raw: async () => {
      client.reset();
      await rawToolLoop(client, 1);
    },
    agent: async () => {
      client.reset();
      await agent.onReset();
      const result = await agent.run({ task: TASK });
      if (result.messages.length !== 4) throw new Error(`unexpected run: ${result.messages.length} messages`);
    },
  };
  const perBatch = quick ? 300 : 1000;
  for (const run of Object.values(runs)) for (let i = 0; i < 3 * perBatch; i++) await run();
  const samples = { raw: [], agent: [] };
  // Alternating batches, so that bursts of outside load hit both alike; the best batch of each.
  for (let round = 0; round < (quick ? 8 : 20); round++) {
    for (const [name, run] of Object.entries(runs)) {
      const t = performance.now();
      for (let i = 0; i < perBatch; i++) await run();
      samples[name].push(((performance.now() - t) * 1000) / perBatch);
    }
  }
  const a = Math.min(...samples.agent);
  const r = Math.min(...samples.raw);
  console.log("\n4. one tool-loop run (2 model calls + 1 tool call, zero-latency replay model), best batch:");
  report(
    "AssistantAgent.run",
    `${fmt(a, 2)} us`,
    `${fmt(r, 2)} us`,
    `${fmt(a / r, 2)}x`,
    "<= 3x",
    a / r <= 3,
  );
}

// ---- 5. many concurrent runs ----

async function concurrent() {
  const N = quick ? 2000 : 10_000;
  const LATENCY = 20;
  const script = () => [
    { ...CALL, usage: USAGE },
    { ...CALL, usage: USAGE },
    { content: "Done.", usage: USAGE },
  ];
  const agentRound = async () => {
    const agents = Array.from(
      { length: N },
      (_, i) =>
        new AssistantAgent({
          name: `agent_${i}`,
          modelClient: new ReplayChatCompletionClient({ responses: script(), latencyMs: LATENCY }),
          tools: [weather],
          reflectOnToolUse: true,
          maxToolIterations: 2,
        }),
    );
    const t = performance.now();
    await Promise.all(agents.map((a) => a.run({ task: TASK })));
    return performance.now() - t;
  };
  const rawRound = async () => {
    const clients = Array.from(
      { length: N },
      () => new ReplayChatCompletionClient({ responses: script(), latencyMs: LATENCY }),
    );
    const t = performance.now();
    await Promise.all(clients.map((c) => rawToolLoop(c, 2)));
    return performance.now() - t;
  };
  await agentRound();
  await rawRound();
  const agent = [];
  const raw = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    agent.push(await agentRound());
    raw.push(await rawRound());
  }
  const ideal = 3 * LATENCY;
  const a = median(agent);
  const r = median(raw);
  console.log(
    `\n5. ${N.toLocaleString()} concurrent runs, three model calls of ${LATENCY} ms each (ideal ${ideal} ms), median round:`,
  );
  report(
    "wall time",
    `${fmt(a)} ms (${fmt(a / ideal, 2)}x ideal)`,
    `${fmt(r)} ms (${fmt(r / ideal, 2)}x ideal)`,
    `${fmt(a / r, 2)}x raw`,
    "<= 1.2x ideal",
    a <= 1.2 * ideal,
  );
}

console.log(
  `autogen-ts benchmarks (issue 21): node ${process.version}, ${process.platform}/${process.arch}${quick ? " (quick)" : ""}`,
);
if (typeof global.gc !== "function") console.log("(run with node --expose-gc for the memory figures)");
await longRun();
idleAgents();
coldImport();
await toolLoop();
await concurrent();
console.log(`\n${results.filter((r) => r.ok).length} of ${results.length} bars met.`);
