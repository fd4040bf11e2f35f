// Distributed runtime benchmark, each figure beside a raw baseline from the same client in the same run
// (compare ratios, not absolute numbers): RPC round trips through NatsAgentRuntime (worker and caller on
// separate connections) beside raw NATS request/reply; JetStream event deliveries beside raw JetStream
// publish + consume; and RPC throughput with 1, 2 and 3 worker processes. Run with
// `npm run bench:distributed` (NATS_URL, default nats://127.0.0.1:4222; JetStream must be enabled).
import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { jsonSerializer, RoutedAgent, TypeSubscription } from "@autogen-ts/core";
import { jetStreamNames, NatsAgentRuntime } from "@autogen-ts/ext/runtimes/nats";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

const servers = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
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

async function rate(body, batch, ms) {
  let ops = 0;
  const start = now();
  while (now() - start < ms) {
    await body(batch);
    ops += batch;
  }
  return (ops / (now() - start)) * 1000;
}

/** Alternating rounds, best round of each side, so outside load hits both alike. */
async function pair(a, b, batch, rounds = 6, ms = 300) {
  let bestA = 0;
  let bestB = 0;
  for (let i = 0; i < rounds; i++) {
    bestA = Math.max(bestA, await rate(a, batch, ms));
    bestB = Math.max(bestB, await rate(b, batch, ms));
  }
  return [bestA, bestB];
}

const prefix = `bench${process.pid}`;
const worker = await NatsAgentRuntime.connect({ servers, subjectPrefix: prefix });
const caller = await NatsAgentRuntime.connect({ servers, subjectPrefix: prefix });
for (const rt of [worker, caller]) rt.addMessageSerializer(jsonSerializer(Ping));
await worker.registerFactory("echo", () => new Echo());
await worker.start();

const rawServer = await connect({ servers });
const rawClient = await connect({ servers });
rawServer.subscribe(`${prefix}.raw`, { queue: "q", callback: (_e, m) => m.respond(m.data) });
await rawServer.flush();
const payload = new TextEncoder().encode('{"n":1}');

const id = { type: "echo", key: "k" };
const msg = new Ping(1);
const seqRuntime = async (n) => {
  for (let i = 0; i < n; i++) await caller.sendMessage(msg, id);
};
const seqRaw = async (n) => {
  for (let i = 0; i < n; i++) await rawClient.request(`${prefix}.raw`, payload, { timeout: 5000 });
};
const parRuntime = async (n) => {
  await Promise.all(Array.from({ length: n }, () => caller.sendMessage(msg, id)));
};
const parRaw = async (n) => {
  await Promise.all(
    Array.from({ length: n }, () => rawClient.request(`${prefix}.raw`, payload, { timeout: 5000 })),
  );
};

await pair(seqRuntime, seqRaw, 50, 1, 200); // warm the JIT
const [seqA, seqB] = await pair(seqRuntime, seqRaw, 50);
const [parA, parB] = await pair(parRuntime, parRaw, 100);
console.log(
  `RPC round trips, sequential:   ${fmt(seqA)}/s   raw request/reply: ${fmt(seqB)}/s   ratio ${(seqB / seqA).toFixed(2)}x`,
);
console.log(
  `RPC round trips, 100 in flight: ${fmt(parA)}/s   raw request/reply: ${fmt(parB)}/s   ratio ${(parB / parA).toFixed(2)}x`,
);

// ---- JetStream events: publish N, wait until all are handled (acked after the handler) ----------------
const EVENTS = 2000;
let handled = 0;
let rawHandled = 0;
await worker.registerFactory("sink", () => ({
  id: undefined,
  metadata: { type: "sink", key: "", description: "" },
  bindIdAndRuntime() {},
  async onMessage() {
    handled += 1;
  },
  async saveState() {
    return {};
  },
  async loadState() {},
  async close() {},
}));
await worker.addSubscription(new TypeSubscription({ topicType: "events", agentType: "sink" }));
const waitFor = async (done) => {
  while (!done()) await new Promise((r) => setImmediate(r));
};
const publishAll = async (publish) => {
  for (let i = 0; i < EVENTS; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, EVENTS - i) }, (_, j) => publish(i + j)));
  }
};
const runtimeEvents = async () => {
  const target = handled + EVENTS;
  await publishAll((i) => caller.publishMessage({ n: i }, { type: "events", source: "s" }));
  await waitFor(() => handled >= target);
};
const rawStream = `${prefix}_RAW`;
const jsm = await jetstreamManager(rawClient);
await jsm.streams.add({ name: rawStream, subjects: [`${prefix}.rawjs.>`], retention: "interest" });
await jsm.consumers.add(rawStream, { durable_name: "raw", ack_policy: AckPolicy.Explicit, ack_wait: 30e9 });
const rawJs = jetstream(rawClient);
const rawConsumer = await jetstream(rawServer).consumers.get(rawStream, "raw");
const rawMessages = await rawConsumer.consume({
  max_messages: 256,
  callback: (m) => {
    rawHandled += 1;
    m.ack();
  },
});
const rawEvents = async () => {
  const target = rawHandled + EVENTS;
  await publishAll((i) =>
    rawJs.publish(`${prefix}.rawjs.s`, payload, { msgID: `${prefix}-${rawHandled}-${i}-${Math.random()}` }),
  );
  await waitFor(() => rawHandled >= target);
};
const timeOf = async (body) => {
  const start = now();
  await body();
  return (EVENTS / (now() - start)) * 1000;
};
let evA = 0;
let evB = 0;
await timeOf(runtimeEvents); // warm up
await timeOf(rawEvents);
for (let i = 0; i < 4; i++) {
  evA = Math.max(evA, await timeOf(runtimeEvents));
  evB = Math.max(evB, await timeOf(rawEvents));
}
console.log(
  `JetStream event deliveries:     ${fmt(evA)}/s   raw JetStream publish+consume: ${fmt(evB)}/s   ratio ${(evB / evA).toFixed(2)}x`,
);
await rawMessages.close();

// ---- throughput with 1, 2 and 3 worker processes (1 ms of CPU per request, 100 in flight) -------------
const workerScript = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const children = [];
const throughput = [];
for (let n = 1; n <= 3; n++) {
  const child = spawn(process.execPath, [workerScript, `${prefix}w`, `w${n}`], {
    env: { ...process.env, NATS_URL: servers },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise((resolve) => child.stdout.on("data", (d) => d.toString().includes("ready") && resolve()));
  const farCaller = await NatsAgentRuntime.connect({ servers, subjectPrefix: `${prefix}w` });
  const work = async (count) => {
    await Promise.all(
      Array.from({ length: count }, (_, i) => farCaller.sendMessage({ i }, { type: "work", key: `k${i}` })),
    );
  };
  await work(100);
  let best = 0;
  for (let i = 0; i < 4; i++) best = Math.max(best, await rate(work, 100, 400));
  throughput.push(best);
  await farCaller.close();
}
console.log(
  `RPC throughput, 1 ms handlers, 100 in flight: 1 worker ${fmt(throughput[0])}/s, 2 workers ${fmt(throughput[1])}/s, 3 workers ${fmt(throughput[2])}/s (${os.availableParallelism()} cores)`,
);
for (const child of children) child.kill();

await caller.close();
await worker.close();
for (const name of [...Object.values(jetStreamNames(prefix)), rawStream])
  await jsm.streams.delete(name).catch(() => false);
await rawClient.close();
await rawServer.close();
