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
 * setup (registering the team on its runtime, creating the agents). After it, each round resets the team
 * and runs the task again, so every round has N turns on fresh contexts; the median round is the steady
 * per-turn cost.
 */
async function teamTurns(turns) {
  const rounds = Math.max(7, Math.ceil((quick ? 1000 : 3000) / turns));
  const agents = [0, 1].map(
    (i) =>
      new AssistantAgent({
        name: `agent${i}`,
        modelClient: new ReplayChatCompletionClient(
          Array.from({ length: turns * (rounds + 1) }, (_, t) => reply(`agent${i} turn ${t}`)),
        ),
        systemMessage: "You are a helpful assistant.",
      }),
  );
  const team = new RoundRobinGroupChat({ participants: agents, maxTurns: turns });
  let start = now();
  await team.run({ task: "Count with me." });
  const cold = ((now() - start) * 1000) / turns;
  const perTurn = [];
  for (let r = 0; r < rounds; r++) {
    await team.reset();
    start = now();
    const result = await team.run({ task: "Count with me." });
    perTurn.push(((now() - start) * 1000) / turns);
    if (result.messages.length !== turns + 1) throw new Error(`expected ${turns + 1} messages`);
  }
  await team.close();
  perTurn.sort((a, b) => a - b);
  return { steady: perTurn[Math.floor(perTurn.length / 2)], cold };
}

/** A 30-agent SelectorGroupChat: the selector model names the next speaker each turn (median round after the first). */
async function selectorTurns(turns, size = 30) {
  const rounds = Math.max(5, Math.ceil((quick ? 300 : 1000) / turns));
  const names = Array.from({ length: size }, (_, i) => `agent${i}`);
  const agents = names.map(
    (name) =>
      new AssistantAgent({
        name,
        description: `Agent number ${name.slice(5)}, who knows about topic ${name.slice(5)}.`,
        modelClient: new ReplayChatCompletionClient(
          Array.from({ length: turns * (rounds + 1) }, () => reply(`${name} speaks`)),
        ),
      }),
  );
  const selector = new ReplayChatCompletionClient(
    Array.from({ length: turns * (rounds + 1) }, (_, t) => reply(names[(t * 7 + 1) % size])),
  );
  const team = new SelectorGroupChat({ participants: agents, modelClient: selector, maxTurns: turns });
  await team.run({ task: "Discuss." });
  const perTurn = [];
  for (let r = 0; r < rounds; r++) {
    await team.reset();
    const start = now();
    await team.run({ task: "Discuss." });
    perTurn.push(((now() - start) * 1000) / turns);
  }
  await team.close();
  perTurn.sort((a, b) => a - b);
  return perTurn[Math.floor(perTurn.length / 2)];
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
for (let i = 0; i < 2; i++) await teamTurns(200);

console.log("\ntwo-agent RoundRobinGroupChat, zero-latency replay model, cost per turn (median of rounds):");
for (const turns of [10, 100, 1000]) {
  const raw = await best(rawTurns, turns);
  const { steady, cold } = await teamTurns(turns);
  console.log(
    `  ${String(turns).padStart(5)} turns: team ${fmt(steady)}   raw loop ${fmt(raw)}   team machinery ${fmt(steady - raw)} per turn` +
      `   (a new team's first run, setup included: ${fmt(cold)} per turn)`,
  );
}

console.log("\n30-agent SelectorGroupChat, cost per turn (selector call + agent call):");
for (const turns of [10, 100]) {
  const raw = await best(rawSelectorTurns, turns);
  const team = await selectorTurns(turns);
  console.log(`  ${String(turns).padStart(5)} turns: team ${fmt(team)}   raw loop ${fmt(raw)}`);
}

const many = await manyTeams(1000);
console.log(
  `\n1,000 two-agent teams alive at once, one turn each, concurrently: ${many.wall.toFixed(0)} ms wall, ` +
    `${many.perTeamKb.toFixed(1)} KB heap per team${globalThis.gc ? "" : " (run with --expose-gc for a settled figure)"}`,
);
