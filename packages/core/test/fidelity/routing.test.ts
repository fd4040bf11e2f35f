// Fidelity: AutoGen's python/packages/autogen-core/tests/test_subscription.py, test_routed_agent.py and
// test_intervention.py, case by case.
import { afterEach, describe, expect, it } from "vitest";
import {
  AgentId,
  DefaultSubscription,
  DefaultTopicId,
  DropMessage,
  type InterventionHandler,
  type Logger,
  RoutedAgent,
  SingleThreadedAgentRuntime,
  silentLogger,
  TopicId,
  TypeSubscription,
} from "../../src/index.js";

class MessageType {}
class UnhandledMessageType {}
class MyMessage {
  constructor(readonly value: string) {}
}

class LoopbackAgent extends RoutedAgent {
  numCalls = 0;
  static {
    this.handle(MessageType, async function (message) {
      this.numCalls += 1;
      return message;
    });
  }
}

class CounterAgent extends RoutedAgent {
  rpcCalls = 0;
  broadcastCalls = 0;
  static {
    this.handle(
      MessageType,
      async function (message) {
        this.rpcCalls += 1;
        return message;
      },
      { match: (_m, ctx) => ctx.isRpc },
    );
    this.handle(
      MessageType,
      async function () {
        this.broadcastCalls += 1;
      },
      { match: (_m, ctx) => !ctx.isRpc },
    );
  }
}

class CustomMatchAgent extends RoutedAgent {
  one = false;
  two = false;
  static {
    this.handle(
      MyMessage,
      async function () {
        this.one = true;
      },
      { match: (m) => m.value === "one" },
    );
    this.handle(
      MyMessage,
      async function () {
        this.two = true;
      },
      { match: (m) => m.value === "two" },
    );
  }
}

class EventAgent extends RoutedAgent {
  readonly calls = [0, 0];
  static {
    this.event(
      MyMessage,
      async function () {
        this.calls[0]! += 1;
      },
      { match: (m) => m.value === "one" },
    );
    this.event(
      MyMessage,
      async function () {
        this.calls[1]! += 1;
      },
      { match: (m) => m.value === "two" },
    );
  }
}

class RpcAgent extends RoutedAgent {
  readonly calls = [0, 0];
  static {
    this.rpc(
      MyMessage,
      async function (m) {
        this.calls[0]! += 1;
        return m;
      },
      { match: (m) => m.value === "one" },
    );
    this.rpc(
      MyMessage,
      async function (m) {
        this.calls[1]! += 1;
        return m;
      },
      { match: (m) => m.value === "two" },
    );
  }
}

let runtime: SingleThreadedAgentRuntime;
afterEach(async () => {
  await runtime?.close();
});
const make = (options: ConstructorParameters<typeof SingleThreadedAgentRuntime>[0] = {}) => {
  runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, ...options });
  return runtime;
};
const topic = (type = "default", source = "default") => new TopicId({ type, source });
const id = (type: string) => new AgentId({ type, key: "default" });

describe("AutoGen fidelity: subscriptions", () => {
  const origin = "test_subscription.py::";

  it(`${origin}test_type_subscription_match`, () => {
    const sub = new TypeSubscription({ topicType: "t1", agentType: "a1" });
    expect(sub.isMatch(topic("t0", "s1"))).toBe(false);
    expect(sub.isMatch(topic("t1", "s1"))).toBe(true);
    expect(sub.isMatch(topic("t1", "s2"))).toBe(true);
  });

  it(`${origin}test_type_subscription_map`, () => {
    const sub = new TypeSubscription({ topicType: "t1", agentType: "a1" });
    const mapped = sub.mapToAgent(topic("t1", "s1"));
    expect([mapped.type, mapped.key]).toEqual(["a1", "s1"]);
    expect(() => sub.mapToAgent(topic("t0", "s1"))).toThrow(/does not match/);
  });

  it(`${origin}test_non_default_default_subscription`, async () => {
    const rt = make();
    await LoopbackAgent.register(rt, "MyAgent", () => new LoopbackAgent());
    const publish = async (t: TopicId) => {
      rt.start();
      await rt.publishMessage(new MessageType(), t);
      await rt.stopWhenIdle();
    };
    await publish(new DefaultTopicId());
    const agent = await rt.getAgentInstance<LoopbackAgent>(id("MyAgent"));
    expect(agent.numCalls).toBe(0); // not subscribed
    const defaults = new TypeSubscription({ topicType: "default", agentType: "MyAgent" });
    await rt.addSubscription(defaults);
    await publish(new DefaultTopicId());
    expect(agent.numCalls).toBe(1);
    await publish(new DefaultTopicId({ type: "other" }));
    expect(agent.numCalls).toBe(1);
    await rt.addSubscription(new TypeSubscription({ topicType: "other", agentType: "MyAgent" }));
    await publish(new DefaultTopicId({ type: "other" }));
    expect(agent.numCalls).toBe(2);
    await rt.removeSubscription(defaults.id);
    await publish(new DefaultTopicId());
    expect(agent.numCalls).toBe(2);
    await publish(new DefaultTopicId({ type: "other" }));
    expect(agent.numCalls).toBe(3);
  });

  it(`${origin}test_skipped_class_subscriptions`, async () => {
    // Registering without subscriptions is what AutoGen's skip_class_subscriptions asks for.
    const rt = make();
    await LoopbackAgent.register(rt, "MyAgent", () => new LoopbackAgent(), { subscriptions: [] });
    rt.start();
    await rt.publishMessage(new MessageType(), new DefaultTopicId());
    await rt.stopWhenIdle();
    expect((await rt.getAgentInstance<LoopbackAgent>(id("MyAgent"))).numCalls).toBe(0);
  });

  it(`${origin}test_subscription_deduplication`, async () => {
    // Deliberate difference: AutoGen raises "Subscription already exists"; adding an equal subscription
    // here is a no-op (so a team or a worker can re-add what it needs), and a reused id is an error.
    const rt = make();
    await LoopbackAgent.register(rt, "MyAgent", () => new LoopbackAgent());
    const first = new TypeSubscription({ topicType: "default", agentType: "MyAgent" });
    await rt.addSubscription(first);
    await rt.addSubscription(new TypeSubscription({ topicType: "default", agentType: "MyAgent" }));
    await rt.addSubscription(new DefaultSubscription({ agentType: "MyAgent" }));
    expect(rt.subscriptions).toHaveLength(1);
    await expect(
      rt.addSubscription(new TypeSubscription({ topicType: "other", agentType: "MyAgent", id: first.id })),
    ).rejects.toThrow(/already exists/);
    rt.start();
    await rt.publishMessage(new MessageType(), new DefaultTopicId());
    await rt.stopWhenIdle();
    expect((await rt.getAgentInstance<LoopbackAgent>(id("MyAgent"))).numCalls).toBe(1);
  });
});

describe("AutoGen fidelity: routed agents", () => {
  const origin = "test_routed_agent.py::";

  it(`${origin}test_routed_agent`, async () => {
    const logged: string[] = [];
    const logger: Logger = {
      debug: (m: string, ...d: unknown[]) => logged.push([m, ...d.map(String)].join(" ")),
      info: (m: string, ...d: unknown[]) => logged.push([m, ...d.map(String)].join(" ")),
      warn: (m: string, ...d: unknown[]) => logged.push([m, ...d.map(String)].join(" ")),
      error: (m: string, ...d: unknown[]) => logged.push([m, ...d.map(String)].join(" ")),
    };
    const rt = make({ logger });
    await LoopbackAgent.register(rt, "loopback", () => new LoopbackAgent());
    await rt.addSubscription(new TypeSubscription({ topicType: "default", agentType: "loopback" }));
    rt.start();
    await rt.publishMessage(new UnhandledMessageType(), topic());
    await rt.stopWhenIdle();
    // AutoGen logs "Unhandled message: ..."; here the log names the agent and the message it has no handler for.
    expect(logged.join("\n")).toMatch(/no event handler for a UnhandledMessageType message/);
  });

  it(`${origin}test_message_handler_router`, async () => {
    const rt = make();
    await CounterAgent.register(rt, "counter", () => new CounterAgent());
    await rt.addSubscription(new TypeSubscription({ topicType: "default", agentType: "counter" }));
    rt.start();
    await rt.publishMessage(new MessageType(), topic());
    await rt.stopWhenIdle();
    const agent = await rt.getAgentInstance<CounterAgent>(id("counter"));
    expect([agent.broadcastCalls, agent.rpcCalls]).toEqual([1, 0]);
    rt.start();
    await rt.sendMessage(new MessageType(), id("counter"));
    await rt.stopWhenIdle();
    expect([agent.broadcastCalls, agent.rpcCalls]).toEqual([1, 1]);
  });

  it(`${origin}test_routed_agent_message_matching`, async () => {
    const rt = make();
    await CustomMatchAgent.register(rt, "message_match", () => new CustomMatchAgent());
    const agent = await rt.getAgentInstance<CustomMatchAgent>(id("message_match"));
    expect([agent.one, agent.two]).toEqual([false, false]);
    rt.start();
    await rt.sendMessage(new MyMessage("one"), id("message_match"));
    expect([agent.one, agent.two]).toEqual([true, false]);
    await rt.sendMessage(new MyMessage("two"), id("message_match"));
    await rt.stopWhenIdle();
    expect([agent.one, agent.two]).toEqual([true, true]);
  });

  it(`${origin}test_event`, async () => {
    const rt = make();
    await EventAgent.register(rt, "counter", () => new EventAgent());
    await rt.addSubscription(new TypeSubscription({ topicType: "default", agentType: "counter" }));
    rt.start();
    await rt.publishMessage(new MyMessage("one"), topic());
    await rt.stopWhenIdle();
    const agent = await rt.getAgentInstance<EventAgent>(id("counter"));
    expect(agent.calls).toEqual([1, 0]);
    rt.start();
    await rt.publishMessage(new MyMessage("two"), topic());
    await rt.stopWhenIdle();
    expect(agent.calls).toEqual([1, 1]);
    // An RPC reaches no event handler.
    rt.start();
    await expect(rt.sendMessage(new MyMessage("one"), id("counter"))).rejects.toThrow(/no RPC handler/);
    await rt.stopWhenIdle();
    expect(agent.calls).toEqual([1, 1]);
  });

  it(`${origin}test_rpc`, async () => {
    const rt = make();
    await RpcAgent.register(rt, "counter", () => new RpcAgent());
    await rt.addSubscription(new TypeSubscription({ topicType: "default", agentType: "counter" }));
    rt.start();
    await rt.sendMessage(new MyMessage("one"), id("counter"));
    const agent = await rt.getAgentInstance<RpcAgent>(id("counter"));
    expect(agent.calls).toEqual([1, 0]);
    await rt.sendMessage(new MyMessage("two"), id("counter"));
    expect(agent.calls).toEqual([1, 1]);
    // A publish reaches no RPC handler.
    await rt.publishMessage(new MyMessage("one"), topic());
    await rt.stopWhenIdle();
    expect(agent.calls).toEqual([1, 1]);
  });
});

describe("AutoGen fidelity: interventions", () => {
  const origin = "test_intervention.py::";

  it(`${origin}test_intervention_count_messages`, async () => {
    const counts = { send: 0, publish: 0, response: 0 };
    const handler: InterventionHandler = {
      onSend: (m) => {
        counts.send += 1;
        return m;
      },
      onPublish: (m) => {
        counts.publish += 1;
        return m;
      },
      onResponse: (m) => {
        counts.response += 1;
        return m;
      },
    };
    const rt = make({ interventionHandlers: [handler] });
    await LoopbackAgent.register(rt, "name", () => new LoopbackAgent());
    rt.start();
    await rt.sendMessage(new MessageType(), id("name"));
    await rt.stopWhenIdle();
    expect([counts.send, counts.response]).toEqual([1, 1]);
    const agent = await rt.getAgentInstance<LoopbackAgent>(id("name"));
    expect(agent.numCalls).toBe(1);
    rt.start();
    await rt.addSubscription(new DefaultSubscription({ agentType: "name" }));
    await rt.publishMessage(new MessageType(), new DefaultTopicId());
    await rt.stopWhenIdle();
    expect(agent.numCalls).toBe(2);
    expect(counts.publish).toBe(1);
  });

  it(`${origin}test_intervention_drop_send`, async () => {
    const rt = make({ interventionHandlers: [{ onSend: () => DropMessage }] });
    await LoopbackAgent.register(rt, "name", () => new LoopbackAgent());
    rt.start();
    const error = (await rt.sendMessage(new MessageType(), id("name")).catch((e: unknown) => e)) as {
      code?: string;
    };
    expect(error.code).toBe("message_dropped");
    await rt.stop();
    expect((await rt.getAgentInstance<LoopbackAgent>(id("name"))).numCalls).toBe(0);
  });

  it(`${origin}test_intervention_drop_response`, async () => {
    const rt = make({ interventionHandlers: [{ onResponse: () => DropMessage }] });
    await LoopbackAgent.register(rt, "name", () => new LoopbackAgent());
    rt.start();
    const error = (await rt.sendMessage(new MessageType(), id("name")).catch((e: unknown) => e)) as {
      code?: string;
    };
    expect(error.code).toBe("message_dropped");
    await rt.stop();
  });

  it(`${origin}test_intervention_raise_exception_on_send`, async () => {
    class InterventionException extends Error {}
    const rt = make({
      interventionHandlers: [
        {
          onSend: () => {
            throw new InterventionException("no");
          },
        },
      ],
    });
    await LoopbackAgent.register(rt, "name", () => new LoopbackAgent());
    rt.start();
    const error = await rt.sendMessage(new MessageType(), id("name")).catch((e: unknown) => e);
    expect(
      error instanceof InterventionException || (error as Error).cause instanceof InterventionException,
    ).toBe(true);
    await rt.stop();
    expect((await rt.getAgentInstance<LoopbackAgent>(id("name"))).numCalls).toBe(0);
  });

  it(`${origin}test_intervention_raise_exception_on_respond`, async () => {
    class InterventionException extends Error {}
    const rt = make({
      interventionHandlers: [
        {
          onResponse: () => {
            throw new InterventionException("no");
          },
        },
      ],
    });
    await LoopbackAgent.register(rt, "name", () => new LoopbackAgent());
    rt.start();
    const error = await rt.sendMessage(new MessageType(), id("name")).catch((e: unknown) => e);
    expect(
      error instanceof InterventionException || (error as Error).cause instanceof InterventionException,
    ).toBe(true);
    await rt.stop();
    expect((await rt.getAgentInstance<LoopbackAgent>(id("name"))).numCalls).toBe(1);
  });
});
