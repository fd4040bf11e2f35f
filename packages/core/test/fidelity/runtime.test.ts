// Fidelity: AutoGen's python/packages/autogen-core/tests/test_runtime.py, case by case, with ports of the
// agents of autogen_test_utils (LoopbackAgent, CascadingAgent, NoopAgent).
import { afterEach, describe, expect, it } from "vitest";
import {
  BaseAgent,
  DefaultSubscription,
  DefaultTopicId,
  type Logger,
  type MessageContext,
  RoutedAgent,
  SingleThreadedAgentRuntime,
  silentLogger,
  TopicId,
  TypeSubscription,
  ValidationError,
} from "../../src/index.js";

const origin = "test_runtime.py::";

class MessageType {}
class CascadingMessageType {
  constructor(readonly round: number) {}
}

class NoopAgent extends BaseAgent {
  constructor() {
    super({ description: "A no op agent" });
  }
  async onMessage(): Promise<unknown> {
    throw new Error("not implemented");
  }
}

class LoopbackAgent extends RoutedAgent {
  numCalls = 0;
  readonly received: unknown[] = [];
  static {
    this.handle(MessageType, async function (message) {
      this.numCalls += 1;
      this.received.push(message);
      return message;
    });
  }
}

class CascadingAgent extends RoutedAgent {
  numCalls = 0;
  constructor(readonly maxRounds: number) {
    super({ description: "A cascading agent." });
  }
  static {
    this.handle(CascadingMessageType, async function (message, ctx: MessageContext) {
      this.numCalls += 1;
      if (message.round === this.maxRounds) return;
      await this.publishMessage(new CascadingMessageType(message.round + 1), new DefaultTopicId(), {
        signal: ctx.signal,
      });
    });
  }
}

class FailingAgent extends RoutedAgent {
  static {
    this.event(MessageType, async () => {
      throw new Error("Test exception");
    });
  }
}

const defaultSubscription = (type: string) => [new DefaultSubscription({ agentType: type })];

let runtime: SingleThreadedAgentRuntime;
afterEach(async () => {
  await runtime?.close();
});

describe("AutoGen fidelity: the in-process runtime", () => {
  it(`${origin}test_agent_type_register_factory`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await runtime.registerFactory(
      "name1",
      ({ id }) => {
        expect([id.type, id.key]).toEqual(["name1", "default"]);
        return new NoopAgent();
      },
      { expectedClass: NoopAgent },
    );
    // A second registration of the type fails, whatever the expected class.
    await expect(
      runtime.registerFactory("name1", () => new NoopAgent(), { expectedClass: CascadingAgent as never }),
    ).rejects.toThrow(ValidationError);
    // Without expectedClass, no error.
    await runtime.registerFactory("name2", () => new NoopAgent());
    const agent = await runtime.getAgentInstance<NoopAgent>({ type: "name1", key: "default" });
    expect(agent).toBeInstanceOf(NoopAgent);
    expect(agent.id.toString()).toBe("name1/default");
  });

  it(`${origin}test_agent_type_must_be_unique`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await NoopAgent.register(runtime, "name1", () => new NoopAgent());
    await expect(runtime.registerFactory("name1", () => new NoopAgent())).rejects.toThrow(ValidationError);
    await runtime.registerFactory("name2", () => new NoopAgent(), { expectedClass: NoopAgent });
  });

  it(`${origin}test_agent_type_register_instance`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    const [agent1, duplicate, agent2] = [new NoopAgent(), new NoopAgent(), new NoopAgent()];
    await runtime.registerAgentInstance(agent1, { type: "name", key: "default" });
    await runtime.registerAgentInstance(agent2, { type: "name", key: "notdefault" });
    expect(await runtime.getAgentInstance({ type: "name", key: "default" })).toBe(agent1);
    expect(await runtime.getAgentInstance({ type: "name", key: "notdefault" })).toBe(agent2);
    await expect(runtime.registerAgentInstance(duplicate, { type: "name", key: "default" })).rejects.toThrow(
      ValidationError,
    );
  });

  it(`${origin}test_agent_type_register_instance_different_types`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await runtime.registerAgentInstance(new NoopAgent(), { type: "name", key: "noop" });
    await expect(
      runtime.registerAgentInstance(new LoopbackAgent(), { type: "name", key: "loopback" }),
    ).rejects.toThrow(ValidationError);
  });

  it(`${origin}test_agent_type_register_instance_publish_new_source`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, ignoreUnhandledExceptions: false });
    await runtime.registerAgentInstance(new LoopbackAgent(), { type: "name", key: "default" });
    await runtime.addSubscription(new TypeSubscription({ topicType: "notdefault", agentType: "name" }));
    runtime.start();
    // A type made of instances has no factory to make the agent for key "notdefault".
    await runtime.publishMessage(
      new MessageType(),
      new TopicId({ type: "notdefault", source: "notdefault" }),
    );
    await expect(runtime.stopWhenIdle()).rejects.toThrow();
  });

  it(`${origin}test_register_instance_factory`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await runtime.registerAgentInstance(new NoopAgent(), { type: "name", key: "default" });
    await expect(NoopAgent.register(runtime, "name", () => new NoopAgent())).rejects.toThrow(ValidationError);
  });

  it(`${origin}test_register_receives_publish`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await runtime.registerFactory("name", () => new LoopbackAgent(), { expectedClass: LoopbackAgent });
    await runtime.addSubscription(new TypeSubscription({ topicType: "default", agentType: "name" }));
    runtime.start();
    await runtime.publishMessage(new MessageType(), new TopicId({ type: "default", source: "default" }));
    await runtime.stopWhenIdle();
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "default" })).numCalls).toBe(
      1,
    );
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "other" })).numCalls).toBe(0);
  });

  it(`${origin}test_register_receives_publish_with_construction`, async () => {
    const errors: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      error: (message: string, ...details: unknown[]) =>
        errors.push([message, ...details.map(String)].join(" ")),
      warn: (message: string, ...details: unknown[]) =>
        errors.push([message, ...details.map(String)].join(" ")),
    };
    runtime = new SingleThreadedAgentRuntime({ logger });
    await runtime.registerFactory(
      "name",
      async (): Promise<LoopbackAgent> => {
        throw new Error("test");
      },
      { expectedClass: LoopbackAgent },
    );
    await runtime.addSubscription(new TypeSubscription({ topicType: "default", agentType: "name" }));
    runtime.start();
    await runtime.publishMessage(new MessageType(), new TopicId({ type: "default", source: "default" }));
    await runtime.stopWhenIdle();
    // The failure is logged, with the factory's error.
    expect(errors.join("\n")).toMatch(/Could not create agent name\/default/);
  });

  it(`${origin}test_register_receives_publish_cascade`, async () => {
    const [agents, initial, rounds] = [5, 5, 5];
    let expected = 0;
    for (let i = 0; i < rounds; i++) expected += initial * (agents - 1) ** i;
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    for (let i = 0; i < agents; i++) {
      await CascadingAgent.register(runtime, `name${i}`, () => new CascadingAgent(rounds), {
        subscriptions: defaultSubscription,
      });
    }
    runtime.start();
    for (let i = 0; i < initial; i++)
      await runtime.publishMessage(new CascadingMessageType(1), new DefaultTopicId());
    await runtime.stopWhenIdle();
    for (let i = 0; i < agents; i++) {
      const agent = await runtime.getAgentInstance<CascadingAgent>({ type: `name${i}`, key: "default" });
      expect(agent.numCalls).toBe(expected);
    }
  });

  it(`${origin}test_register_factory_explicit_name`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await LoopbackAgent.register(runtime, "name", () => new LoopbackAgent());
    await runtime.addSubscription(new TypeSubscription({ topicType: "default", agentType: "name" }));
    runtime.start();
    await runtime.publishMessage(new MessageType(), new TopicId({ type: "default", source: "default" }));
    await runtime.stopWhenIdle();
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "default" })).numCalls).toBe(
      1,
    );
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "other" })).numCalls).toBe(0);
  });

  it(`${origin}test_default_subscription`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    await LoopbackAgent.register(runtime, "name", () => new LoopbackAgent(), {
      subscriptions: defaultSubscription,
    });
    await runtime.publishMessage(new MessageType(), new DefaultTopicId());
    await runtime.stopWhenIdle();
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "default" })).numCalls).toBe(
      1,
    );
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "other" })).numCalls).toBe(0);
  });

  it(`${origin}test_type_subscription`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    await LoopbackAgent.register(runtime, "name", () => new LoopbackAgent(), {
      subscriptions: (type) => [new TypeSubscription({ topicType: "Other", agentType: type })],
    });
    await runtime.publishMessage(new MessageType(), new TopicId({ type: "Other", source: "default" }));
    await runtime.stopWhenIdle();
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "default" })).numCalls).toBe(
      1,
    );
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "other" })).numCalls).toBe(0);
  });

  it(`${origin}test_default_subscription_publish_to_other_source`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    await LoopbackAgent.register(runtime, "name", () => new LoopbackAgent(), {
      subscriptions: defaultSubscription,
    });
    await runtime.publishMessage(new MessageType(), new DefaultTopicId({ source: "other" }));
    await runtime.stopWhenIdle();
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "default" })).numCalls).toBe(
      0,
    );
    expect((await runtime.getAgentInstance<LoopbackAgent>({ type: "name", key: "other" })).numCalls).toBe(1);
  });

  it(`${origin}test_event_handler_exception_propogates`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, ignoreUnhandledExceptions: false });
    await FailingAgent.register(runtime, "name", () => new FailingAgent(), {
      subscriptions: defaultSubscription,
    });
    runtime.start();
    await runtime.publishMessage(new MessageType(), new DefaultTopicId());
    // AutoGen re-raises the handler's ValueError; here it is the typed handler_failed error, with the
    // handler's error as its cause (docs/autogen-differences.md).
    const error = (await runtime.stopWhenIdle().catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe("handler_failed");
    expect((error.cause as Error).message).toBe("Test exception");
  });

  it(`${origin}test_event_handler_exception_multi_message`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, ignoreUnhandledExceptions: false });
    await FailingAgent.register(runtime, "name", () => new FailingAgent(), {
      subscriptions: defaultSubscription,
    });
    runtime.start();
    for (let i = 0; i < 3; i++) await runtime.publishMessage(new MessageType(), new DefaultTopicId());
    // AutoGen re-raises the handler's ValueError; here it is the typed handler_failed error, with the
    // handler's error as its cause (docs/autogen-differences.md).
    const error = (await runtime.stopWhenIdle().catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe("handler_failed");
    expect((error.cause as Error).message).toBe("Test exception");
  });
});
