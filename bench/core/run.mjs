// Runtime benchmarks: each figure is printed beside a raw baseline measured in the same process, so
// compare ratios, not absolute times. Run with `npm run bench:core` (builds first).
import {
  ClosureAgent,
  RoutedAgent,
  SingleThreadedAgentRuntime,
  silentLogger,
  TypeSubscription,
} from "@autogen-ts/core";

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const now = () => performance.now();

class Ping {
  constructor(n) {
    this.n = n;
  }
}

class Echo extends RoutedAgent {
  static {
    this.rpc(Ping, async (msg) => msg.n);
  }
}

/** Runs `body` in rounds of `batch` for about `ms` milliseconds, returning operations per second. */
async function rate(body, batch, ms) {
  let ops = 0;
  const start = now();
  while (now() - start < ms) {
    await body(batch);
    ops += batch;
  }
  return (ops / (now() - start)) * 1000;
}

/**
 * Measures two bodies in alternating short rounds and keeps each one's best round, so that a burst of
 * load from elsewhere on the machine hits both sides alike instead of skewing the ratio.
 */
async function compare(bodies, batch, rounds = 8, ms = 200) {
  const best = bodies.map(() => 0);
  for (const body of bodies) for (let i = 0; i < 3; i++) await body(batch); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < bodies.length; i++) best[i] = Math.max(best[i], await rate(bodies[i], batch, ms));
  }
  return best;
}

async function rpc() {
  const runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
  await runtime.registerFactory("echo", () => new Echo());
  runtime.start();
  const id = { type: "echo", key: "k" };
  const handler = async (msg) => msg.n;
  const msg = new Ping(1);

  const [direct, viaRuntime] = await compare(
    [
      async (n) => {
        for (let i = 0; i < n; i++) await handler(msg);
      },
      async (n) => {
        for (let i = 0; i < n; i++) await runtime.sendMessage(msg, id);
      },
    ],
    10_000,
  );
  const [concurrent] = await compare(
    [
      async (n) => {
        const pending = new Array(n);
        for (let i = 0; i < n; i++) pending[i] = runtime.sendMessage(msg, id);
        await Promise.all(pending);
      },
    ],
    1_000,
  );
  await runtime.close();
  return { direct, viaRuntime, concurrent };
}

async function publish(subscribers) {
  const runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
  let received = 0;
  for (let i = 0; i < subscribers; i++) {
    await ClosureAgent.registerClosure(
      runtime,
      `sub${i}`,
      async () => {
        received += 1;
      },
      { subscriptions: [new TypeSubscription({ topicType: "bench", agentType: `sub${i}` })] },
    );
  }
  runtime.start();
  const topic = { type: "bench", source: "s" };
  const handlers = Array.from({ length: subscribers }, () => async () => {
    received += 1;
  });
  // About 1,000 deliveries per round: enough to amortise the drain, few enough to stay in the young generation.
  const messages = Math.max(1, Math.floor(1_000 / subscribers));

  const [direct, viaRuntime] = await compare(
    [
      async () => {
        const pending = [];
        for (let m = 0; m < messages; m++) for (const h of handlers) pending.push(h(m));
        await Promise.all(pending);
      },
      async () => {
        for (let m = 0; m < messages; m++) runtime.publishMessage(m, topic);
        await runtime.idle();
      },
    ],
    messages * subscribers,
  );
  await runtime.close();
  // Both loops count into `received`, so a broken delivery path cannot pass for a fast one.
  if (received === 0) throw new Error("no message was delivered");
  return { direct, viaRuntime };
}

async function memory(count) {
  if (typeof globalThis.gc !== "function") return undefined;
  const settle = () => {
    for (let i = 0; i < 3; i++) globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  // Baseline: the same number of bare objects held in a map by string key.
  const base0 = settle();
  const bare = new Map();
  for (let i = 0; i < count; i++) bare.set(`k${i}`, { n: i });
  const base1 = settle();
  const baseline = (base1 - base0) / count;
  bare.clear();

  const runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
  await runtime.registerFactory("echo", () => new Echo());
  runtime.start();
  const msg = new Ping(1);
  const before = settle();
  for (let i = 0; i < count; i += 1000) {
    const batch = [];
    for (let j = i; j < i + 1000; j++) batch.push(runtime.sendMessage(msg, { type: "echo", key: `k${j}` }));
    await Promise.all(batch);
  }
  const after = settle();
  const perAgent = (after - before) / count;
  const alive = (await runtime.saveState()).agents;
  await runtime.close();
  return { perAgent, baseline, alive: Object.keys(alive).length };
}

const r = await rpc();
console.log("RPC round trips (sequential await)");
console.log(`  direct await handler(msg): ${fmt(r.direct)}/s`);
console.log(
  `  runtime.sendMessage:       ${fmt(r.viaRuntime)}/s   overhead ${(r.direct / r.viaRuntime).toFixed(1)}x the direct call`,
);
console.log(`  runtime, 1,000 in flight:  ${fmt(r.concurrent)}/s`);

console.log("Publish deliveries per second");
for (const n of [1, 10, 1000]) {
  const p = await publish(n);
  console.log(
    `  ${String(n).padStart(4)} subscriber(s): runtime ${fmt(p.viaRuntime)}/s   direct calls ${fmt(p.direct)}/s   (${(p.direct / p.viaRuntime).toFixed(1)}x)`,
  );
}

const m = await memory(100_000);
if (m === undefined) console.log("Memory: run with node --expose-gc to measure");
else {
  console.log(`Memory with ${fmt(m.alive)} lazily created agents alive`);
  console.log(
    `  ${fmt(m.perAgent)} bytes per agent   (baseline: a bare object in a Map, ${fmt(m.baseline)} bytes)`,
  );
}
