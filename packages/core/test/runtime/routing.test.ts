import { afterEach, describe, expect, it } from "vitest";
import {
  AgentId,
  ClosureAgent,
  DefaultSubscription,
  DefaultTopicId,
  DeliveryError,
  type MessageContext,
  messageType,
  RoutedAgent,
  SingleThreadedAgentRuntime,
  silentLogger,
  TopicId,
  TypePrefixSubscription,
  TypeSubscription,
  ValidationError,
} from "../../src/index.js";
import { rejection } from "../support/rejection.js";

class Increment {
  constructor(readonly by: number) {}
}
class Reset {}
interface Ping {
  type: "ping";
  n: number;
}
const Ping = messageType<Ping>("ping");

class Counter extends RoutedAgent {
  count = 0;
  seen: string[] = [];

  static {
    this.rpc(Increment, this.prototype.onIncrement);
    this.event(Increment, async function (msg) {
      this.count += msg.by;
      this.seen.push(`event:${msg.by}`);
    });
    this.event(Reset, async function () {
      this.count = 0;
    });
    this.handle(Ping, async (msg) => msg.n + 1);
  }

  constructor() {
    super({ description: "counts" });
  }

  async onIncrement(msg: Increment, _ctx: MessageContext): Promise<number> {
    this.count += msg.by;
    this.seen.push(`rpc:${msg.by}`);
    return this.count;
  }
}

let runtime: SingleThreadedAgentRuntime;
afterEach(async () => {
  await runtime?.close();
});

function started(): SingleThreadedAgentRuntime {
  runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
  runtime.start();
  return runtime;
}

describe("ids", () => {
  it("validate agent and topic types with a clear error", () => {
    expect(() => new AgentId({ type: "bad type", key: "k" })).toThrow(/Invalid agent type "bad type"/);
    expect(() => new TopicId({ type: "a/b", source: "s" })).toThrow(ValidationError);
    expect(new TopicId({ type: "chat:x=1", source: "s" }).toString()).toBe("chat:x=1/s");
    expect(AgentId.parse("writer/conv/1")).toEqual(new AgentId({ type: "writer", key: "conv/1" }));
    expect(new DefaultTopicId()).toMatchObject({ type: "default", source: "default" });
  });
});

describe("RPC", () => {
  it("creates agents lazily, one per key, and returns the handler's value", async () => {
    const rt = started();
    let created = 0;
    await rt.registerFactory("counter", () => {
      created += 1;
      return new Counter();
    });
    expect(created).toBe(0);
    const a = { type: "counter", key: "a" };
    expect(await rt.sendMessage(new Increment(2), a)).toBe(2);
    expect(await rt.sendMessage(new Increment(3), a)).toBe(5);
    expect(await rt.sendMessage(new Increment(1), { type: "counter", key: "b" })).toBe(1);
    expect(created).toBe(2);
    expect(await rt.sendMessage({ type: "ping", n: 41 }, a)).toBe(42);
    expect(await rt.agentMetadata(a)).toEqual({ type: "counter", key: "a", description: "counts" });
  });

  it("creates an agent once when many messages race for it", async () => {
    const rt = started();
    let created = 0;
    await rt.registerFactory("counter", async () => {
      created += 1;
      await new Promise((r) => setTimeout(r, 5));
      return new Counter();
    });
    const replies = await Promise.all(
      [1, 2, 3, 4].map((n) => rt.sendMessage(new Increment(n), { type: "counter", key: "x" })),
    );
    expect(created).toBe(1);
    expect(replies).toEqual([1, 3, 6, 10]);
  });

  it("rejects an unknown recipient type clearly", async () => {
    const rt = started();
    const error = await rejection(rt.sendMessage(new Increment(1), { type: "nobody", key: "k" }));
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect(error.code).toBe("undeliverable");
    expect(error.message).toContain('No agent type "nobody"');
  });

  it("fails an RPC for a message type without a handler", async () => {
    const rt = started();
    await rt.registerFactory("counter", () => new Counter());
    const error = await rejection(rt.sendMessage(new Reset(), { type: "counter", key: "k" }));
    expect(error.code).toBe("cant_handle");
    expect(error.message).toContain("Counter has no RPC handler for a Reset message");
  });

  it("passes a handler's exception to the sender as a typed error with the cause", async () => {
    const rt = started();
    const boom = new Error("boom");
    await ClosureAgent.registerClosure(rt, "failing", async () => {
      throw boom;
    });
    const error = await rejection(rt.sendMessage("hi", { type: "failing", key: "k" }));
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect(error.code).toBe("handler_failed");
    expect(error.cause).toBe(boom);
    // The runtime keeps working after a failing handler.
    await rt.registerFactory("counter", () => new Counter());
    expect(await rt.sendMessage(new Increment(1), { type: "counter", key: "k" })).toBe(1);
  });

  it("reports a failing factory as undeliverable, and retries creation next time", async () => {
    const rt = started();
    let attempts = 0;
    await rt.registerFactory("flaky", () => {
      attempts += 1;
      if (attempts === 1) throw new Error("no resources");
      return new Counter();
    });
    const error = await rejection(rt.sendMessage(new Increment(1), { type: "flaky", key: "k" }));
    expect(error.code).toBe("undeliverable");
    expect(error.cause.message).toBe("no resources");
    expect(await rt.sendMessage(new Increment(1), { type: "flaky", key: "k" })).toBe(1);
  });

  it("respects match predicates and rpc/event kinds", async () => {
    class Picky extends RoutedAgent {
      static {
        this.rpc(Increment, async () => "small", { match: (m) => m.by < 10 });
        this.rpc(Increment, async () => "big");
      }
    }
    const rt = started();
    await rt.registerFactory("picky", () => new Picky());
    const id = { type: "picky", key: "k" };
    expect(await rt.sendMessage(new Increment(1), id)).toBe("small");
    expect(await rt.sendMessage(new Increment(100), id)).toBe("big");
  });

  it("routes subclasses of a message class and inherits parent handlers", async () => {
    class BigIncrement extends Increment {}
    class LoudCounter extends Counter {
      static {
        this.rpc(Reset, async function () {
          this.count = 0;
          return "reset";
        });
      }
    }
    const rt = started();
    await rt.registerFactory("loud", () => new LoudCounter());
    const id = { type: "loud", key: "k" };
    expect(await rt.sendMessage(new BigIncrement(7), id)).toBe(7);
    expect(await rt.sendMessage(new Reset(), id)).toBe("reset");
  });

  it("does not deadlock on A -> RPC -> B -> RPC -> A", async () => {
    class Question {
      constructor(readonly depth: number) {}
    }
    class Asker extends RoutedAgent {
      static {
        this.rpc(Question, async function (q) {
          if (q.depth === 0) return `${this.id.type}:done`;
          const other = this.id.type === "a" ? "b" : "a";
          const answer = await this.sendMessage<string>(new Question(q.depth - 1), { type: other, key: "k" });
          return `${this.id.type}<${answer}`;
        });
      }
    }
    const rt = started();
    await rt.registerFactory("a", () => new Asker());
    await rt.registerFactory("b", () => new Asker());
    expect(await rt.sendMessage(new Question(3), { type: "a", key: "k" })).toBe("a<b<a<b:done");
  });

  it("queues messages until start()", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await runtime.registerFactory("counter", () => new Counter());
    let done = false;
    const reply = runtime.sendMessage(new Increment(1), { type: "counter", key: "k" }).then((v) => {
      done = true;
      return v;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    expect(runtime.unprocessedMessageCount).toBe(1);
    runtime.start();
    expect(await reply).toBe(1);
  });
});

describe("publish", () => {
  it("fans out to subscribers, maps the source to the key, and skips the sender", async () => {
    const rt = started();
    const got: string[] = [];
    for (const type of ["left", "right"]) {
      await ClosureAgent.registerClosure(
        rt,
        type,
        async (agent, msg: string) => {
          got.push(`${agent.id.toString()}:${msg}`);
        },
        { subscriptions: [new TypeSubscription({ topicType: "news", agentType: type })] },
      );
    }
    await rt.publishMessage("hello", { type: "news", source: "conv1" });
    await rt.publishMessage(
      "self",
      { type: "news", source: "conv1" },
      { sender: { type: "left", key: "conv1" } },
    );
    await rt.publishMessage("nobody listens", { type: "other", source: "conv1" });
    await rt.stopWhenIdle();
    expect(got.sort()).toEqual(["left/conv1:hello", "right/conv1:hello", "right/conv1:self"]);
  });

  it("reaches every subscriber in publish order", async () => {
    const rt = started();
    const got: number[] = [];
    await ClosureAgent.registerClosure(
      rt,
      "slow-start",
      async (_agent, n: number) => {
        got.push(n);
      },
      { subscriptions: [new DefaultSubscription({ agentType: "slow-start" })] },
    );
    // The agent is created by the first message; later ones must not overtake it.
    for (let n = 0; n < 50; n++) await rt.publishMessage(n, new DefaultTopicId());
    await rt.stopWhenIdle();
    expect(got).toEqual([...Array(50).keys()]);
  });

  it("supports prefix subscriptions without double delivery, and removal at run time", async () => {
    const rt = started();
    const got: string[] = [];
    await ClosureAgent.registerClosure(rt, "watcher", async (_a, msg: string, ctx) => {
      got.push(`${ctx.topicId?.type}:${msg}`);
    });
    const prefix = new TypePrefixSubscription({ topicTypePrefix: "log.", agentType: "watcher" });
    const exact = new TypeSubscription({ topicType: "log.error", agentType: "watcher" });
    await rt.addSubscription(prefix);
    await rt.addSubscription(exact);
    await rt.addSubscription(new TypeSubscription({ topicType: "log.error", agentType: "watcher" })); // equal: no-op
    await rt.publishMessage("e1", { type: "log.error", source: "s" });
    await rt.publishMessage("i1", { type: "log.info", source: "s" });
    await rt.removeSubscription(prefix.id);
    await rt.publishMessage("i2", { type: "log.info", source: "s" });
    await rt.publishMessage("e2", { type: "log.error", source: "s" });
    await rt.stopWhenIdle();
    expect(got).toEqual(["log.error:e1", "log.info:i1", "log.error:e2"]);
    await expect(rt.removeSubscription("nope")).rejects.toThrow(/No subscription with id "nope"/);
  });

  it("logs and drops unhandled types and failing handlers, and keeps going", async () => {
    const lines: string[] = [];
    const logger = {
      debug() {},
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    };
    runtime = new SingleThreadedAgentRuntime({ logger });
    runtime.start();
    await Counter.register(runtime, "counter", () => new Counter(), {
      subscriptions: (type) => [new DefaultSubscription({ agentType: type })],
    });
    await ClosureAgent.registerClosure(
      runtime,
      "failing",
      async () => {
        throw new Error("kaput");
      },
      { subscriptions: [new DefaultSubscription({ agentType: "failing" })] },
    );
    await runtime.publishMessage("a string", new DefaultTopicId());
    await runtime.publishMessage(new Increment(4), new DefaultTopicId());
    await runtime.stopWhenIdle();
    const counter = await runtime.getAgentInstance<Counter>({ type: "counter", key: "default" });
    expect(counter.count).toBe(4);
    expect(lines.some((l) => l.startsWith("info Dropped a string"))).toBe(true);
    expect(lines.filter((l) => l.startsWith("error The handler of failing/default failed"))).toHaveLength(2);
  });

  it("re-throws a publish handler's failure from stop() when asked to", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, ignoreUnhandledExceptions: false });
    runtime.start();
    await ClosureAgent.registerClosure(
      runtime,
      "failing",
      async () => {
        throw new Error("kaput");
      },
      { subscriptions: [new DefaultSubscription({ agentType: "failing" })] },
    );
    await runtime.publishMessage("x", new DefaultTopicId());
    const error = await rejection(runtime.stopWhenIdle());
    expect(error.code).toBe("handler_failed");
    expect(error.cause.message).toBe("kaput");
  });
});

describe("registration and lookup", () => {
  it("registers instances, rejects conflicts, and resolves ids", async () => {
    const rt = started();
    const counter = new Counter();
    const id = await rt.registerAgentInstance(counter, { type: "solo", key: "one" });
    expect(counter.id).toBe(id);
    expect(await rt.sendMessage(new Increment(5), id)).toBe(5);
    await expect(rt.registerAgentInstance(new Counter(), { type: "solo", key: "one" })).rejects.toThrow(
      /already registered/,
    );
    await expect(rt.registerFactory("solo", () => new Counter())).rejects.toThrow(
      /already has registered instances/,
    );
    await rt.registerFactory("counter", () => new Counter());
    await expect(rt.registerFactory("counter", () => new Counter())).rejects.toThrow(/already registered/);
    await expect(rt.registerFactory("bad name", () => new Counter())).rejects.toThrow(ValidationError);
    expect(await rt.getAgent("counter", { key: "z" })).toEqual(new AgentId({ type: "counter", key: "z" }));
    await expect(rt.getAgent("ghost")).rejects.toThrow(/No agent type "ghost"/);
    expect(() => new Counter().id).toThrow(/not bound to a runtime yet/);
  });

  it("checks the factory's class when asked", async () => {
    const rt = started();
    await rt.registerFactory("typed", () => new ClosureAgent({ closure: () => 1 }) as unknown as Counter, {
      expectedClass: Counter,
    });
    await expect(rt.sendMessage(new Increment(1), { type: "typed", key: "k" })).rejects.toThrow(
      /not the expected class/,
    );
  });

  it("closure agents reject or ignore unknown message types", async () => {
    const rt = started();
    await ClosureAgent.registerClosure(rt, "strict", async (_a, m: Increment) => m.by, {
      messageTypes: [Increment],
      unknownTypePolicy: "error",
    });
    await ClosureAgent.registerClosure(rt, "lenient", async (_a, m: Increment) => m.by, {
      messageTypes: [Increment],
      unknownTypePolicy: "ignore",
    });
    expect(await rt.sendMessage(new Increment(3), { type: "strict", key: "k" })).toBe(3);
    await expect(rt.sendMessage("x", { type: "strict", key: "k" })).rejects.toMatchObject({
      code: "cant_handle",
    });
    expect(await rt.sendMessage("x", { type: "lenient", key: "k" })).toBeUndefined();
  });

  it("stopWhen stops once the condition holds", async () => {
    const rt = started();
    let total = 0;
    await ClosureAgent.registerClosure(
      rt,
      "adder",
      async (_a, n: number) => {
        total += n;
      },
      { subscriptions: [new DefaultSubscription({ agentType: "adder" })] },
    );
    const stopped = rt.stopWhen(() => total >= 3);
    for (const n of [1, 1, 1]) await rt.publishMessage(n, new DefaultTopicId());
    await stopped;
    expect(rt.status).toBe("stopped");
    expect(total).toBe(3);
  });
});
