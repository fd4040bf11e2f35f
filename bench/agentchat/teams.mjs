// Team benchmarks: each figure beside a raw loop, measured in the same run, that makes the same model
// calls on the same zero-latency replay client with a context that grows the same way. The difference is
// what the team machinery (runtime, manager, containers, agents, termination) costs per turn.
//
//   npm run bench:agentchat   (builds first; this file runs after run.mjs)
import { AssistantAgent, RoundRobinGroupChat, SelectorGroupChat } from "@autogen-ts/agentchat";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";

const quick = process.argv.includes("--quick");
const USAGE = { promptTokens: 10, completionTokens: 5 };
const reply = (text) => ({ content: text, usage: USAGE });
const now = () => performance.now();
const fmt = (us) => `${us.toFixed(1)} us`;

/** The floor: two model clients answering in turn, each call given the whole conversation so far. */
async function rawTurns(turns) {
  const clients = [0, 1].map(
    (i) =>
      new ReplayChatCompletionClient(Array.from({ length: turns }, (_, t) => reply(`agent${i} turn ${t}`))),
  );
  const system = { type: "SystemMessage", content: "You are a helpful assistant." };
  const thread = [{ type: "UserMessage", content: "Count with me.", source: "user" }];
  const start = now();
  for (let t = 0; t < turns; t++) {
    const result = await clients[t % 2].create([system, ...thread]);
    thread.push({ type: "UserMessage", content: result.content, source: `agent${t % 2}` });
  }
  return ((now() - start) * 1000) / turns;
}

/**
 * The same turns through a RoundRobinGroupChat of two AssistantAgents. The first run pays the one-time
 * setup (registering the team on its runtime, creating the agents); the second, continuing the same
 * conversation for as many turns again, is the steady per-turn cost.
 */
async function teamTurns(turns) {
  const agents = [0, 1].map(
    (i) =>
      new AssistantAgent({
        name: `agent${i}`,
        modelClient: new ReplayChatCompletionClient(
          Array.from({ length: turns }, (_, t) => reply(`agent${i} turn ${t}`)),
        ),
        systemMessage: "You are a helpful assistant.",
      }),
  );
  const team = new RoundRobinGroupChat({ participants: agents, maxTurns: turns });
  let start = now();
  await team.run({ task: "Count with me." });
  const cold = ((now() - start) * 1000) / turns;
  start = now();
  const result = await team.run();
  const warm = ((now() - start) * 1000) / turns;
  if (result.messages.length !== turns) throw new Error(`expected ${turns} messages`);
  await team.close();
  return { warm, cold };
}

/** A 30-agent SelectorGroupChat: the selector model names the next speaker each turn. */
async function selectorTurns(turns, size = 30) {
  const names = Array.from({ length: size }, (_, i) => `agent${i}`);
  const agents = names.map(
    (name) =>
      new AssistantAgent({
        name,
        description: `Agent number ${name.slice(5)}, who knows about topic ${name.slice(5)}.`,
        modelClient: new ReplayChatCompletionClient(
          Array.from({ length: turns }, () => reply(`${name} speaks`)),
        ),
      }),
  );
  const selector = new ReplayChatCompletionClient(
    Array.from({ length: turns }, (_, t) => reply(names[(t * 7 + 1) % size])),
  );
  const team = new SelectorGroupChat({ participants: agents, modelClient: selector, maxTurns: turns });
  const start = now();
  await team.run({ task: "Discuss." });
  const perTurn = ((now() - start) * 1000) / turns;
  await team.close();
  return perTurn;
}

/** The floor for the selector: per turn, one selector call and one agent call. */
async function rawSelectorTurns(turns, size = 30) {
  const selector = new ReplayChatCompletionClient(
    Array.from({ length: turns }, (_, t) => reply(`agent${t % size}`)),
  );
  const agent = new ReplayChatCompletionClient(Array.from({ length: turns }, () => reply("speaks")));
  const thread = [{ type: "UserMessage", content: "Discuss.", source: "user" }];
  const start = now();
  for (let t = 0; t < turns; t++) {
    const history = thread.map((m) => `${m.source}: ${m.content}`).join("\n");
    await selector.create([{ type: "SystemMessage", content: `Pick the next speaker.\n${history}` }]);
    const result = await agent.create(thread);
    thread.push({ type: "UserMessage", content: result.content, source: `agent${t % size}` });
  }
  return ((now() - start) * 1000) / turns;
}

/** Many small teams alive at once: each runs one turn, concurrently; heap per team after GC. */
async function manyTeams(count) {
  const gc = globalThis.gc;
  const settle = () => {
    if (gc) for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const before = settle();
  const teams = Array.from(
    { length: count },
    (_, i) =>
      new RoundRobinGroupChat({
        participants: [0, 1].map(
          (a) =>
            new AssistantAgent({
              name: `a${a}`,
              modelClient: new ReplayChatCompletionClient([reply(`team ${i}`)]),
            }),
        ),
        maxTurns: 1,
      }),
  );
  const start = now();
  await Promise.all(teams.map((team) => team.run({ task: "Say hello." })));
  const wall = now() - start;
  const after = settle();
  const alive = teams.length; // keep them reachable until measured
  return { wall, perTeamKb: (after - before) / alive / 1024, alive };
}

const best = async (fn, arg, rounds = quick ? 2 : 4) => {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) min = Math.min(min, await fn(arg));
  return min;
};

// Warm the JIT on the team path first, so the small cases are not charged for compilation.
for (let i = 0; i < 3; i++) await teamTurns(200);

console.log("\ntwo-agent RoundRobinGroupChat, zero-latency replay model, cost per turn (best of rounds):");
for (const turns of [10, 100, 1000]) {
  const raw = await best(rawTurns, turns);
  let warm = Number.POSITIVE_INFINITY;
  let cold = Number.POSITIVE_INFINITY;
  for (let r = 0; r < (quick ? 2 : 4); r++) {
    const t = await teamTurns(turns);
    warm = Math.min(warm, t.warm);
    cold = Math.min(cold, t.cold);
  }
  console.log(
    `  ${String(turns).padStart(5)} turns: team ${fmt(warm)}   raw loop ${fmt(raw)}   team machinery ${fmt(warm - raw)} per turn` +
      `   (first run, setup included: ${fmt(cold)} per turn)`,
  );
}

console.log("\n30-agent SelectorGroupChat, cost per turn (selector call + agent call):");
for (const turns of [10, 100]) {
  const raw = await best(rawSelectorTurns, turns);
  const team = await best(selectorTurns, turns);
  console.log(`  ${String(turns).padStart(5)} turns: team ${fmt(team)}   raw loop ${fmt(raw)}`);
}

const many = await manyTeams(1000);
console.log(
  `\n1,000 two-agent teams alive at once, one turn each, concurrently: ${many.wall.toFixed(0)} ms wall, ` +
    `${many.perTeamKb.toFixed(1)} KB heap per team${globalThis.gc ? "" : " (run with --expose-gc for a settled figure)"}`,
);
