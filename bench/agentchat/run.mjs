// AgentChat benchmarks: each figure is printed beside a raw baseline measured in the same run, on the
// same zero-latency (or fixed-latency) replay model and the same tool. Compare ratios, not times.
//
//   npm run bench:agentchat          (builds first; runs with --expose-gc for the memory figure)
//
// Imports the built packages (dist), as an application would.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AssistantAgent } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { z } from "zod";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("--quick");

const weather = new FunctionTool({
  name: "get_weather",
  description: "Weather for a city",
  parameters: z.object({ city: z.string() }),
  run: async ({ city }) => `${city}: 23C, sunny`,
});
const CALL = { content: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] };
const USAGE = { promptTokens: 10, completionTokens: 5 };
const TOOL_LOOP = [
  { ...CALL, usage: USAGE },
  { content: "It is 23C and sunny in Paris.", usage: USAGE },
];
const SYSTEM = { type: "SystemMessage", content: "You are a helpful assistant." };
const TASK = "What is the weather in Paris?";

/** The same two model calls and one tool call, written by hand: the floor any framework adds to. */
async function rawToolLoop(client) {
  const messages = [SYSTEM, { type: "UserMessage", content: TASK, source: "user" }];
  const first = await client.create(messages, { tools: [weather.schema] });
  const results = await Promise.all(
    first.content.map(async (call) => {
      const result = await weather.call(call.arguments, { callId: call.id });
      return { content: result.result[0].text, name: call.name, callId: call.id, isError: result.isError };
    }),
  );
  messages.push({ type: "AssistantMessage", content: first.content, source: "agent" });
  messages.push({ type: "FunctionExecutionResultMessage", content: results });
  const second = await client.create(messages, { tools: [weather.schema] });
  return second.content;
}

function newAgent(client, name = "agent") {
  return new AssistantAgent({
    name,
    modelClient: client,
    tools: [weather],
    systemMessage: SYSTEM.content,
    reflectOnToolUse: true,
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Microseconds per call of `body`, the median of several batches. */
async function timePerRun(body, { batches, perBatch }) {
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) await body();
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / perBatch);
  }
  return median(samples);
}

async function toolLoopFigure() {
  const client = new ReplayChatCompletionClient({ responses: TOOL_LOOP });
  const reused = newAgent(client);
  const runs = {
    raw: async () => {
      client.reset();
      await rawToolLoop(client);
    },
    reusedAgent: async () => {
      client.reset();
      await reused.onReset();
      const result = await reused.run({ task: TASK });
      if (result.messages.length !== 4) throw new Error(`unexpected run: ${result.messages.length} messages`);
    },
    newAgent: async () => {
      client.reset();
      await newAgent(client).run({ task: TASK });
    },
  };
  const warm = quick ? 200 : 3000;
  for (const run of Object.values(runs)) for (let i = 0; i < warm; i++) await run();
  const sizes = quick ? { batches: 5, perBatch: 200 } : { batches: 15, perBatch: 1000 };
  // Interleave the three so that machine noise hits them alike.
  const samples = { raw: [], reusedAgent: [], newAgent: [] };
  for (let round = 0; round < 3; round++) {
    for (const [name, run] of Object.entries(runs)) samples[name].push(await timePerRun(run, sizes));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const lastCpu = { agent: 0, raw: 0 };

async function concurrentFigure() {
  const N = 500;
  const LATENCY = 20;
  const script = () => [
    { ...CALL, usage: USAGE },
    { ...CALL, usage: USAGE },
    { content: "Done.", usage: USAGE },
  ];
  const agentRound = async () => {
    const agents = Array.from({ length: N }, (_, i) => {
      const client = new ReplayChatCompletionClient({ responses: script(), latencyMs: LATENCY });
      return new AssistantAgent({
        name: `agent_${i}`,
        modelClient: client,
        tools: [weather],
        reflectOnToolUse: true,
        maxToolIterations: 2,
      });
    });
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const results = await Promise.all(agents.map((a) => a.run({ task: TASK })));
    const elapsed = performance.now() - start;
    lastCpu.agent = cpuMs(cpu0);
    for (const agent of agents) {
      if (agent.modelClient.remainingResponses !== 0) throw new Error("a run did not make three model calls");
    }
    if (results.length !== N) throw new Error("missing results");
    return elapsed;
  };
  const rawRound = async () => {
    const clients = Array.from(
      { length: N },
      () => new ReplayChatCompletionClient({ responses: script(), latencyMs: LATENCY }),
    );
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        const messages = [SYSTEM, { type: "UserMessage", content: TASK, source: "user" }];
        for (;;) {
          const r = await client.create(messages, { tools: [weather.schema] });
          if (typeof r.content === "string") return r.content;
          const results = await Promise.all(
            r.content.map(async (call) => {
              const out = await weather.call(call.arguments, { callId: call.id });
              return { content: out.result[0].text, name: call.name, callId: call.id, isError: out.isError };
            }),
          );
          messages.push({ type: "AssistantMessage", content: r.content, source: "agent" });
          messages.push({ type: "FunctionExecutionResultMessage", content: results });
        }
      }),
    );
    const elapsed = performance.now() - start;
    lastCpu.raw = cpuMs(cpu0);
    return elapsed;
  };
  await agentRound();
  await rawRound();
  const rounds = quick ? 2 : 7;
  const agent = [];
  const raw = [];
  const agentCpu = [];
  const rawCpu = [];
  for (let i = 0; i < rounds; i++) {
    agent.push(await agentRound());
    agentCpu.push(lastCpu.agent);
    raw.push(await rawRound());
    rawCpu.push(lastCpu.raw);
  }
  return {
    agent: median(agent),
    raw: median(raw),
    agentMin: Math.min(...agent),
    rawMin: Math.min(...raw),
    agentCpu: median(agentCpu),
    rawCpu: median(rawCpu),
    ideal: 3 * LATENCY,
  };
}

function heapAfterGc() {
  for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

function memoryFigure() {
  if (typeof global.gc !== "function") return undefined;
  const N = 1000;
  const client = new ReplayChatCompletionClient({ responses: [] });
  const keep = [];
  const measure = (make) => {
    keep.length = 0;
    const before = heapAfterGc();
    for (let i = 0; i < N; i++) keep.push(make(i));
    const after = heapAfterGc();
    return (after - before) / (1024 * 1024);
  };
  // Raw: what a hand-written agent holds: a name, its client and tools, a system prompt and a history.
  const raw = [];
  const agent = [];
  for (let round = 0; round < 3; round++) {
    raw.push(
      measure((i) => ({ name: `agent_${i}`, client, tools: [weather], system: SYSTEM, messages: [] })),
    );
    agent.push(measure((i) => newAgent(client, `agent_${i}`)));
  }
  keep.length = 0;
  return { agent: median(agent), raw: median(raw) };
}

/** Bundles the built agentchat into bench/agentchat/dist (git-ignored); undefined when esbuild is absent. */
function bundleAgentchat() {
  let esbuild;
  try {
    esbuild = createRequire(import.meta.url)("esbuild");
  } catch {
    return undefined;
  }
  const entry = join(here, "..", "..", "packages", "agentchat", "dist", "index.js");
  const common = {
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    logLevel: "error",
  };
  const external = join(here, "dist", "agentchat-external.mjs");
  const all = join(here, "dist", "agentchat-all.mjs");
  esbuild.buildSync({ ...common, outfile: external, external: ["zod", "@opentelemetry/api"] });
  esbuild.buildSync({ ...common, outfile: all, mainFields: ["module", "main"] });
  return { external, all };
}

function coldImportFigure() {
  // `preload` is imported before the clock starts: what the import costs once those are already loaded.
  const probe = (specifier, preload) =>
    preload.map((p) => `await import(${JSON.stringify(p)});`).join(" ") +
    ` const t = performance.now(); await import(${JSON.stringify(specifier)}); ` +
    "process.stdout.write(String(performance.now() - t));";
  const once = (specifier, preload = []) => {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", probe(specifier, preload)], {
      cwd: join(here, "..", ".."),
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`import of ${specifier} failed: ${child.stderr}`);
    return Number(child.stdout);
  };
  // Diagnostic: the same built code as single files (esbuild), to separate module-loading cost from code.
  const bundles = bundleAgentchat();
  const times = { agentchat: [], core: [], zod: [], otel: [], ownCode: [], bundled: [], bundledAll: [] };
  const n = quick ? 3 : 9;
  for (let i = 0; i < n; i++) {
    times.agentchat.push(once("@autogen-ts/agentchat"));
    times.core.push(once("@autogen-ts/core"));
    times.zod.push(once("zod"));
    times.otel.push(once("@opentelemetry/api"));
    times.ownCode.push(once("@autogen-ts/agentchat", ["zod", "@opentelemetry/api"]));
    if (bundles) {
      times.bundled.push(once(bundles.external, ["zod", "@opentelemetry/api"]));
      times.bundledAll.push(once(bundles.all));
    }
  }
  return Object.fromEntries(
    Object.entries(times)
      .filter(([, v]) => v.length > 0)
      .map(([k, v]) => [k, { median: median(v), min: Math.min(...v) }]),
  );
}

const fmt = (x, digits = 1) => x.toFixed(digits);
const verdict = (ok) => (ok ? "meets the bar" : "MISSES the bar");

console.log(
  `agentchat benchmarks: node ${process.version}, ${process.platform}/${process.arch}${quick ? " (quick)" : ""}`,
);

const loop = await toolLoopFigure();
console.log("\none tool-loop run (2 model calls + 1 tool call, zero-latency replay model), us per run:");
console.log(`  raw loop                     ${fmt(loop.raw, 2)} us`);
console.log(
  `  AssistantAgent (reused)      ${fmt(loop.reusedAgent, 2)} us  (${fmt(loop.reusedAgent / loop.raw)}x raw; +${fmt(loop.reusedAgent - loop.raw, 2)} us)  ${verdict(loop.reusedAgent < 20)} (< 20 us)`,
);
console.log(
  `  AssistantAgent (new per run) ${fmt(loop.newAgent, 2)} us  (${fmt(loop.newAgent / loop.raw)}x raw)`,
);

const conc = await concurrentFigure();
console.log(
  "\n500 concurrent single-agent runs, model waits 20 ms per call, 3 calls per run (ideal 60 ms; median of rounds):",
);
console.log(
  `  raw loop        ${fmt(conc.raw)} ms  (${fmt(conc.raw / conc.ideal, 2)}x ideal; ${fmt(conc.rawCpu)} ms CPU; best ${fmt(conc.rawMin)} ms)`,
);
console.log(
  `  AssistantAgent  ${fmt(conc.agent)} ms  (${fmt(conc.agent / conc.ideal, 2)}x ideal; ${fmt(conc.agentCpu)} ms CPU; best ${fmt(conc.agentMin)} ms)  ${verdict(conc.agent <= 1.2 * conc.ideal)} (<= 1.2x)`,
);
console.log("  (one thread: the CPU time of the 500 runs adds to the 60 ms of waiting)");

const mem = memoryFigure();
if (mem === undefined) {
  console.log("\nmemory per 1,000 idle agents: run with node --expose-gc to measure");
} else {
  console.log("\nmemory per 1,000 idle agents (heap after GC):");
  console.log(`  raw objects     ${fmt(mem.raw, 3)} MB`);
  console.log(`  AssistantAgent  ${fmt(mem.agent, 3)} MB  ${verdict(mem.agent < 0.5)} (< 0.5 MB)`);
}

const cold = coldImportFigure();
console.log("\ncold import in a fresh process, ms (median, and the fastest of the runs):");
const both = (x) => `${fmt(x.median)} ms (min ${fmt(x.min)})`;
console.log(`  zod alone                                  ${both(cold.zod)}`);
console.log(`  @opentelemetry/api alone                   ${both(cold.otel)}`);
console.log(`  @autogen-ts/core                           ${both(cold.core)}`);
console.log(`  @autogen-ts/agentchat, zod and OTel loaded ${both(cold.ownCode)}  (autogen-ts's own modules)`);
if (cold.bundled) {
  console.log(
    `  agentchat as one file, zod and OTel loaded ${both(cold.bundled)}  (diagnostic: esbuild bundle)`,
  );
  console.log(
    `  agentchat, zod and OTel all in one file    ${both(cold.bundledAll)}  (diagnostic: esbuild bundle)`,
  );
}
console.log(
  `  @autogen-ts/agentchat                      ${both(cold.agentchat)}  ${verdict(cold.agentchat.median < 50)} (< 50 ms)`,
);
