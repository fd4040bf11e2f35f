// Distributed runtime benchmark: RPC round trips through NatsAgentRuntime (worker and caller on separate
// connections to the local NATS server) beside a raw NATS request/reply measured in the same run, so
// compare the ratio, not absolute numbers. Run with `npm run build && node bench/distributed/run.mjs`
// (NATS_URL, default nats://127.0.0.1:4222).
import { jsonSerializer, RoutedAgent } from "@autogen-ts/core";
import { NatsAgentRuntime } from "@autogen-ts/ext/runtimes/nats";
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

await caller.close();
await worker.close();
await rawClient.close();
await rawServer.close();
