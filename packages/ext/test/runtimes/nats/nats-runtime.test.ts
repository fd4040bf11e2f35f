/**
 * NatsAgentRuntime against the NATS server on this machine (NATS_URL, default nats://127.0.0.1:4222).
 * Every test uses its own subject prefix, so runs in parallel never hear each other.
 */
import {
  AssistantAgent,
  groupChatSerializers,
  MaxMessageTermination,
  RoundRobinGroupChat,
} from "@autogen-ts/agentchat";
import {
  CancelledError,
  ClosureAgent,
  type ClosureContext,
  DeliveryError,
  jsonSerializer,
  type MessageContext,
  RoutedAgent,
  ToolError,
  TypePrefixSubscription,
  TypeSubscription,
} from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import type { NatsAgentRuntime } from "@autogen-ts/ext/runtimes/nats";
import { afterEach, describe, expect, it } from "vitest";
import { rejection } from "../../../../core/test/support/rejection.js";
import { requireService, tcpReachable } from "../../../../core/test/support/services.js";
import {
  capturingLogger,
  cleanUp,
  Increment,
  NATS,
  Note,
  newPrefix,
  runtime,
  spawnWorker,
  until,
} from "./support.js";

const available = requireService("NATS", await tcpReachable(NATS), NATS);

class Secret {
  constructor(readonly text: string) {}
}

class Counter extends RoutedAgent {
  count = 0;
  senders: string[] = [];
  static {
    this.rpc(Increment, async function (msg, ctx) {
      this.count += msg.by;
      this.senders.push(ctx.sender?.toString() ?? "none");
      return { count: this.count };
    });
  }
  override async saveState(): Promise<Record<string, unknown>> {
    return { count: this.count };
  }
  override async loadState(state: Record<string, unknown>): Promise<void> {
    this.count = state.count as number;
  }
}

afterEach(cleanUp);

describe.skipIf(!available)("NatsAgentRuntime", () => {
  it("sends a direct message to an agent served by another runtime and gets its reply", async () => {
    const prefix = newPrefix();
    const worker = await runtime(prefix);
    const caller = await runtime(prefix);
    await worker.registerFactory("counter", () => new Counter());
    await worker.start();

    const id = { type: "counter", key: "a" };
    expect(await caller.sendMessage(new Increment(2), id)).toEqual({ count: 2 });
    expect(await caller.sendMessage(new Increment(3), id, { sender: { type: "boss", key: "k" } })).toEqual({
      count: 5,
    });
    expect(await caller.sendMessage(new Increment(1), { type: "counter", key: "b" })).toEqual({ count: 1 });
    const a = await worker.getAgentInstance<Counter>(id);
    expect(a.senders).toEqual(["none", "boss/k"]);
    expect(await caller.agentMetadata(id)).toEqual({ type: "counter", key: "a", description: "" });
  });

  it("fails fast with undeliverable when no worker serves the type", async () => {
    const prefix = newPrefix();
    const caller = await runtime(prefix);
    const error = await rejection(caller.sendMessage(new Increment(1), { type: "nobody", key: "x" }));
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect(error.code).toBe("undeliverable");
    expect(error.message).toContain('No worker serves agent type "nobody"');
    // An unregistered class has no codec: a typed error before anything is sent.
    const unencodable = await rejection(caller.sendMessage(new Secret("s"), { type: "nobody", key: "x" }));
    expect(unencodable.code).toBe("invalid_argument");
  });

  it("publishes to every subscribed agent across workers, once per subscription, never to the sender", async () => {
    const prefix = newPrefix();
    const w1 = await runtime(prefix);
    const w2 = await runtime(prefix);
    const publisher = await runtime(prefix);
    const seen: string[] = [];
    const record =
      (where: string) => async (agent: ClosureContext, message: unknown, ctx: MessageContext) => {
        seen.push(`${where}:${agent.id.toString()}:${(message as Note).text}:${ctx.topicId?.toString()}`);
      };
    // "logger" on one worker; "archive" on both workers with the same subscription (delivered once).
    await ClosureAgent.registerClosure(w1, "logger", record("w1"), {
      subscriptions: [new TypeSubscription({ topicType: "news", agentType: "logger" })],
    });
    for (const [name, w] of [
      ["w1", w1],
      ["w2", w2],
    ] as const) {
      await ClosureAgent.registerClosure(w, "archive", record(name), {
        subscriptions: [new TypePrefixSubscription({ topicTypePrefix: "ne", agentType: "archive" })],
      });
    }
    await w1.start();
    await w2.start();

    for (let i = 0; i < 10; i++)
      await publisher.publishMessage(new Note(`n${i}`), { type: "news", source: "s1" });
    // The sender never receives its own publish.
    await publisher.publishMessage(
      new Note("own"),
      { type: "news", source: "s1" },
      { sender: { type: "logger", key: "s1" } },
    );
    await until(() => seen.length >= 21);
    await w1.idle();
    await w2.idle();
    const logger = seen.filter((s) => s.includes(":logger/"));
    const archive = seen.filter((s) => s.includes(":archive/"));
    expect(logger.map((s) => s.split(":")[2])).toEqual(Array.from({ length: 10 }, (_, i) => `n${i}`));
    expect(logger[0]).toBe("w1:logger/s1:n0:news/s1");
    expect(archive.map((s) => s.split(":")[2]).sort()).toEqual(
      [...Array.from({ length: 10 }, (_, i) => `n${i}`), "own"].sort(),
    );
  });

  it("forwards a published message to an agent served by another worker than the subscription's", async () => {
    const prefix = newPrefix();
    const router = await runtime(prefix);
    const host = await runtime(prefix);
    const seen: string[] = [];
    await ClosureAgent.registerClosure(host, "remote", async (agent, message) => {
      seen.push(`${agent.id.toString()}:${(message as Note).text}`);
    });
    await router.addSubscription(new TypeSubscription({ topicType: "jobs", agentType: "remote" }));
    await router.start();
    await host.start();
    await router.publishMessage(new Note("j1"), { type: "jobs", source: "conv 1/é" });
    await until(() => seen.length === 1);
    expect(seen).toEqual(["remote/conv 1/é:j1"]);
  });

  it("shares the requests to one type among the workers that serve it (queue group)", async () => {
    const prefix = newPrefix();
    const caller = await runtime(prefix);
    const workers = [await runtime(prefix, { workerId: "w-a" }), await runtime(prefix, { workerId: "w-b" })];
    for (const w of workers) {
      await ClosureAgent.registerClosure(w, "echo", async (agent) => ({
        worker: (agent.runtime as NatsAgentRuntime).workerId,
      }));
      await w.start();
    }
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        caller.sendMessage<{ worker: string }>({ n: i }, { type: "echo", key: `k${i}` }),
      ),
    );
    const counts = new Map<string, number>();
    for (const r of replies) counts.set(r.worker, (counts.get(r.worker) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(["w-a", "w-b"]);
    expect((counts.get("w-a") ?? 0) + (counts.get("w-b") ?? 0)).toBe(60);
  });

  it("gives the caller a handler's error with the remote name, code and message as the cause", async () => {
    const prefix = newPrefix();
    const worker = await runtime(prefix);
    const caller = await runtime(prefix);
    caller.addMessageSerializer(jsonSerializer(Secret));
    await ClosureAgent.registerClosure(worker, "fails", async (_agent, message: { kind: string }) => {
      if (message.kind === "tool") throw new ToolError("the tool broke", { details: { tool: "search" } });
      if (message.kind === "type") throw new TypeError("x is not a function");
      return "fine";
    });
    await worker.start();
    const id = { type: "fails", key: "k" };

    const tool = await rejection(caller.sendMessage({ kind: "tool" }, id));
    expect(DeliveryError.isInstance(tool)).toBe(true);
    expect(tool.code).toBe("handler_failed");
    expect(tool.message).toBe("The handler of fails/k failed: the tool broke");
    expect(ToolError.isInstance(tool.cause)).toBe(true);
    expect(tool.cause).toMatchObject({ name: "ToolError", code: "tool_error", message: "the tool broke" });
    expect(tool.cause.details).toMatchObject({ tool: "search" });
    expect(tool.details.worker).toBe(worker.workerId);

    const plain = await rejection(caller.sendMessage({ kind: "type" }, id));
    expect(plain.code).toBe("handler_failed");
    expect(plain.cause).toMatchObject({ name: "TypeError", message: "x is not a function" });

    // The worker knows no codec for Secret: a clear error to the sender.
    const unknown = await rejection(caller.sendMessage(new Secret("s"), id));
    expect(DeliveryError.isInstance(unknown)).toBe(true);
    expect(unknown.code).toBe("cant_handle");
    expect(unknown.cause.message).toContain('cannot decode a "Secret" message');
    expect(await caller.sendMessage({ kind: "ok" }, id)).toBe("fine");
  });

  it("logs and drops a published message whose type the worker cannot decode", async () => {
    const prefix = newPrefix();
    const logger = capturingLogger();
    const worker = await runtime(prefix, { logger });
    const publisher = await runtime(prefix);
    publisher.addMessageSerializer(jsonSerializer(Secret));
    const seen: unknown[] = [];
    await ClosureAgent.registerClosure(
      worker,
      "sink",
      async (_a, m) => {
        seen.push(m);
      },
      { subscriptions: [new TypeSubscription({ topicType: "t", agentType: "sink" })] },
    );
    await worker.start();
    await publisher.publishMessage(new Secret("s"), { type: "t", source: "x" });
    await publisher.publishMessage(new Note("after"), { type: "t", source: "x" });
    await until(() => seen.length === 1);
    expect(seen).toEqual([new Note("after")]);
    expect(logger.lines.some((l) => l.includes('Dropped a published "Secret" message for sink/x'))).toBe(
      true,
    );
  });

  it("cancels: the caller's promise rejects and the remote handler's signal aborts", async () => {
    const prefix = newPrefix();
    const worker = await runtime(prefix);
    const caller = await runtime(prefix);
    let started = 0;
    const aborted: unknown[] = [];
    await ClosureAgent.registerClosure(worker, "slow", async (_agent, _m, ctx) => {
      started += 1;
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => {
          aborted.push(ctx.signal.reason);
          resolve();
        }),
      );
    });
    await worker.start();
    const controller = new AbortController();
    const pending = caller.sendMessage({}, { type: "slow", key: "a" }, { signal: controller.signal });
    await until(() => started === 1);
    controller.abort();
    const error = await rejection(pending);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(error.code).toBe("cancelled");
    await until(() => aborted.length === 1);
    expect(CancelledError.isInstance(aborted[0])).toBe(true);
    await worker.idle();

    // A signal's timeout is a CancelledError with code "timeout"; so is the runtime's requestTimeoutMs.
    const timed = await rejection(
      caller.sendMessage({}, { type: "slow", key: "b" }, { signal: AbortSignal.timeout(50) }),
    );
    expect(timed.code).toBe("timeout");
    const strict = await runtime(prefix, { requestTimeoutMs: 50 });
    const limited = await rejection(strict.sendMessage({}, { type: "slow", key: "c" }));
    expect(CancelledError.isInstance(limited)).toBe(true);
    expect(limited.code).toBe("timeout");
    await until(() => aborted.length === 3);
    // An already aborted signal sends nothing.
    const before = started;
    const early = await rejection(
      caller.sendMessage({}, { type: "slow", key: "d" }, { signal: AbortSignal.abort() }),
    );
    expect(early.code).toBe("cancelled");
    expect(started).toBe(before);
  });

  it("fails the requests held by a worker that is killed, and the next calls go to another worker", async () => {
    const prefix = newPrefix();
    const caller = await runtime(prefix);
    const doomed = await spawnWorker("job", prefix, "doomed");
    const { child, exited } = doomed;

    const inFlight = caller.sendMessage({ kind: "hang" }, { type: "job", key: "k" });
    await until(() => doomed.output().includes("handling"));
    // A second worker of the same type joins, then the first one dies mid-call.
    const survivor = await runtime(prefix, { workerId: "survivor" });
    await ClosureAgent.registerClosure(survivor, "job", async () => ({ worker: "survivor" }));
    await survivor.start();
    child.kill("SIGKILL");

    const error = await rejection(inFlight);
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect(error.code).toBe("worker_lost");
    expect(error.details.worker).toBe("doomed");
    expect(error.message).toContain("job/k");
    await exited;
    for (let i = 0; i < 5; i++) {
      expect(await caller.sendMessage({ kind: "work" }, { type: "job", key: `k${i}` })).toEqual({
        worker: "survivor",
      });
    }
  });

  it("saves and loads agent state across runtimes", async () => {
    const prefix = newPrefix();
    const worker = await runtime(prefix);
    const caller = await runtime(prefix);
    await worker.registerFactory("counter", () => new Counter());
    await worker.start();
    await caller.sendMessage(new Increment(7), { type: "counter", key: "a" });

    const saved = await caller.agentSaveState({ type: "counter", key: "a" });
    expect(saved).toEqual({ count: 7 });
    await caller.agentLoadState({ type: "counter", key: "b" }, saved);
    expect(await caller.sendMessage(new Increment(1), { type: "counter", key: "b" })).toEqual({ count: 8 });

    // The worker's own snapshot, restored into a fresh worker through the network.
    const snapshot = await worker.saveState();
    expect(snapshot).toEqual({
      version: 1,
      agents: { "counter/a": { count: 7 }, "counter/b": { count: 8 } },
    });
    await worker.close();
    const fresh = await runtime(prefix);
    await fresh.registerFactory("counter", () => new Counter());
    await fresh.start();
    await caller.loadState(snapshot);
    expect(await caller.sendMessage(new Increment(1), { type: "counter", key: "a" })).toEqual({ count: 8 });
    await expect(caller.loadState({ version: 2 } as never)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("stops when idle and refuses work once closed", async () => {
    const prefix = newPrefix();
    const worker = await runtime(prefix);
    const caller = await runtime(prefix);
    await worker.registerFactory("counter", () => new Counter());
    await expect(worker.stopWhenIdle()).rejects.toMatchObject({ code: "not_running" });
    await worker.start();
    expect(await caller.sendMessage(new Increment(1), { type: "counter", key: "a" })).toEqual({ count: 1 });
    await worker.stopWhenIdle();
    expect(worker.status).toBe("stopped");
    const gone = await rejection(caller.sendMessage(new Increment(1), { type: "counter", key: "a" }));
    expect(gone.code).toBe("undeliverable");
    await caller.close();
    const closed = await rejection(caller.sendMessage(new Increment(1), { type: "counter", key: "a" }));
    expect(closed.code).toBe("not_running");
  });

  it("runs a round-robin team whose participants live in two runtimes, with the in-process result", async () => {
    const script = [
      ["alice", ["Hello from alice", "alice again"]],
      ["bob", ["Hi alice, bob here", "bob again"]],
    ] as const;
    const makeAgents = () =>
      script.map(
        ([name, responses]) =>
          new AssistantAgent({
            name,
            modelClient: new ReplayChatCompletionClient({ responses: [...responses] }),
          }),
      );
    const summary = (messages: readonly { source: string; type: string; toModelText?: () => string }[]) =>
      messages.map((m) => `${m.source}:${m.type}:${(m as { content?: unknown }).content}`);

    const local = new RoundRobinGroupChat({
      participants: makeAgents(),
      terminationCondition: new MaxMessageTermination(5),
    });
    const expected = await local.run({ task: "Say hello" });

    const prefix = newPrefix();
    const rtA = await runtime(prefix);
    const rtB = await runtime(prefix);
    for (const rt of [rtA, rtB]) rt.addMessageSerializer(groupChatSerializers());
    const [alice, bob] = makeAgents() as [AssistantAgent, AssistantAgent];
    const teamA = new RoundRobinGroupChat({
      participants: [alice, bob],
      terminationCondition: new MaxMessageTermination(5),
      runtime: rtA,
      distributed: { teamId: "team1", participants: ["alice"] },
    });
    const teamB = new RoundRobinGroupChat({
      participants: [alice, bob],
      terminationCondition: new MaxMessageTermination(5),
      runtime: rtB,
      distributed: { teamId: "team1", participants: ["bob"], manager: false },
    });
    await teamA.serve();
    await teamB.serve();
    await rtA.start();
    await rtB.start();
    await expect(teamB.run({ task: "x" })).rejects.toMatchObject({ code: "invalid_state" });

    const result = await teamA.run({ task: "Say hello" });
    expect(summary(result.messages)).toEqual(summary(expected.messages));
    expect(result.stopReason).toBe(expected.stopReason);
    expect(summary(result.messages)).toEqual([
      "user:TextMessage:Say hello",
      "alice:TextMessage:Hello from alice",
      "bob:TextMessage:Hi alice, bob here",
      "alice:TextMessage:alice again",
      "bob:TextMessage:bob again",
    ]);
    // bob's turn ran in runtime B: its container lives there, not in A.
    await expect(rtA.getAgentInstance({ type: "bob_team1", key: "team1" })).rejects.toMatchObject({
      code: "undeliverable",
    });
    expect((await rtB.getAgentInstance({ type: "bob_team1", key: "team1" })).id.key).toBe("team1");
    // The team's state is gathered from both runtimes.
    const state = (await teamA.saveState()) as unknown as { agentStates: object };
    expect(Object.keys(state.agentStates)).toEqual(["alice", "bob"]);
  });
});
