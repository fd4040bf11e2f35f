// Fidelity: AutoGen's python/packages/autogen-core/tests/test_cancellation.py, test_state.py,
// test_closure_agent.py and test_base_agent.py, case by case. AutoGen steps its runtime by hand
// (`_process_next`) to cancel at a given point; here the agents say where they are, and the test cancels there.
import { afterEach, describe, expect, it } from "vitest";
import {
  AgentId,
  BaseAgent,
  CancelledError,
  ClosureAgent,
  DefaultSubscription,
  DefaultTopicId,
  type MessageContext,
  RoutedAgent,
  SingleThreadedAgentRuntime,
  silentLogger,
  toCancelledError,
} from "../../src/index.js";

class MessageType {}

/** Where the agents of a test are, so the test can cancel at that point. */
const hooks: { onLongStart?: () => void; onNestedSent?: () => void } = {};

class LongRunningAgent extends RoutedAgent {
  called = false;
  cancelled = false;
  static {
    this.handle(MessageType, async function (_m, ctx: MessageContext) {
      this.called = true;
      hooks.onLongStart?.();
      try {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 100_000);
          const abort = () => {
            clearTimeout(timer);
            reject(toCancelledError(ctx.signal.reason));
          };
          if (ctx.signal.aborted) abort();
          ctx.signal.addEventListener("abort", abort, { once: true });
        });
        return new MessageType();
      } catch (error) {
        this.cancelled = true;
        throw error;
      }
    });
  }
}

class NestingLongRunningAgent extends RoutedAgent {
  called = false;
  cancelled = false;
  constructor(readonly nested: AgentId) {
    super({ description: "A nesting long running agent" });
  }
  static {
    this.handle(MessageType, async function (message, ctx: MessageContext) {
      this.called = true;
      const reply = this.sendMessage(message, this.nested, { signal: ctx.signal });
      hooks.onNestedSent?.();
      try {
        return await reply;
      } catch (error) {
        this.cancelled = true;
        throw error;
      }
    });
  }
}

class StatefulAgent extends BaseAgent {
  state = 0;
  async onMessage(): Promise<unknown> {
    throw new Error("not implemented");
  }
  override async saveState(): Promise<Record<string, unknown>> {
    return { state: this.state };
  }
  override async loadState(state: Record<string, unknown>): Promise<void> {
    this.state = state.state as number;
  }
}

let runtime: SingleThreadedAgentRuntime;
afterEach(async () => {
  hooks.onLongStart = undefined;
  hooks.onNestedSent = undefined;
  await runtime?.close();
});
const id = (type: string) => new AgentId({ type, key: "default" });

async function nestedRuntime() {
  runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
  await LongRunningAgent.register(runtime, "long_running", () => new LongRunningAgent());
  await NestingLongRunningAgent.register(
    runtime,
    "nested",
    (ctx) => new NestingLongRunningAgent(new AgentId({ type: "long_running", key: ctx.id.key })),
  );
  runtime.start();
  return runtime;
}

describe("AutoGen fidelity: cancellation", () => {
  const origin = "test_cancellation.py::";

  it(`${origin}test_cancellation_with_token`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await LongRunningAgent.register(runtime, "long_running", () => new LongRunningAgent());
    runtime.start();
    const controller = new AbortController();
    hooks.onLongStart = () => controller.abort();
    const error = await runtime
      .sendMessage(new MessageType(), id("long_running"), { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    await runtime.stopWhenIdle();
    const agent = await runtime.getAgentInstance<LongRunningAgent>(id("long_running"));
    expect([agent.called, agent.cancelled]).toEqual([true, true]);
  });

  it(`${origin}test_nested_cancellation_only_outer_called`, async () => {
    const rt = await nestedRuntime();
    const controller = new AbortController();
    // Cancel once the outer agent has sent its inner message, before the inner agent could take it.
    hooks.onNestedSent = () => controller.abort();
    const error = await rt
      .sendMessage(new MessageType(), id("nested"), { signal: controller.signal })
      .catch((e) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    await rt.stopWhenIdle();
    const nested = await rt.getAgentInstance<NestingLongRunningAgent>(id("nested"));
    expect([nested.called, nested.cancelled]).toEqual([true, true]);
    // Deliberate difference: AutoGen queues every send, so a cancel right after it keeps the inner agent from
    // ever being called. Here a send made while nothing is queued starts at once (no queue hop on the hot
    // path), so the inner agent has started and is cancelled with its caller (docs/autogen-differences.md).
    const inner = await rt.getAgentInstance<LongRunningAgent>(id("long_running"));
    expect([inner.called, inner.cancelled]).toEqual([true, true]);
  });

  it(`${origin}test_nested_cancellation_inner_called`, async () => {
    const rt = await nestedRuntime();
    const controller = new AbortController();
    hooks.onLongStart = () => controller.abort();
    const error = await rt
      .sendMessage(new MessageType(), id("nested"), { signal: controller.signal })
      .catch((e) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    await rt.stopWhenIdle();
    const nested = await rt.getAgentInstance<NestingLongRunningAgent>(id("nested"));
    expect([nested.called, nested.cancelled]).toEqual([true, true]);
    const inner = await rt.getAgentInstance<LongRunningAgent>(id("long_running"));
    expect([inner.called, inner.cancelled]).toEqual([true, true]);
  });
});

describe("AutoGen fidelity: state", () => {
  const origin = "test_state.py::";

  it(`${origin}test_agent_can_save_state`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await StatefulAgent.register(runtime, "name1", () => new StatefulAgent());
    const agent = await runtime.getAgentInstance<StatefulAgent>(id("name1"));
    expect(agent.state).toBe(0);
    agent.state = 1;
    const saved = await agent.saveState();
    agent.state = 2;
    await agent.loadState(saved);
    expect(agent.state).toBe(1);
  });

  it(`${origin}test_runtime_can_save_state`, async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await StatefulAgent.register(runtime, "name1", () => new StatefulAgent());
    (await runtime.getAgentInstance<StatefulAgent>(id("name1"))).state = 1;
    const saved = await runtime.saveState();
    const runtime2 = new SingleThreadedAgentRuntime({ logger: silentLogger });
    await StatefulAgent.register(runtime2, "name1", () => new StatefulAgent());
    const agent2 = await runtime2.getAgentInstance<StatefulAgent>(id("name1"));
    await runtime2.loadState(JSON.parse(JSON.stringify(saved)));
    expect(agent2.state).toBe(1);
    await runtime2.close();
  });
});

describe("AutoGen fidelity: closure and base agents", () => {
  it("test_closure_agent.py::test_register_receives_publish", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    const seen: [string, string][] = [];
    class Message {
      constructor(readonly content: string) {}
    }
    await ClosureAgent.registerClosure(
      runtime,
      "name",
      async (closure, message: Message) => {
        seen.push([closure.id.key, message.content]);
      },
      { subscriptions: (type: string) => [new DefaultSubscription({ agentType: type })] } as never,
    );
    runtime.start();
    for (const text of ["first message", "second message", "third message"]) {
      await runtime.publishMessage(new Message(text), new DefaultTopicId());
    }
    await runtime.stopWhenIdle();
    expect(seen).toEqual([
      ["default", "first message"],
      ["default", "second message"],
      ["default", "third message"],
    ]);
  });

  it("test_base_agent.py::test_base_agent_create", async () => {
    // AutoGen populates an instantiation context; here the runtime binds an agent's id and runtime when it
    // creates or registers it, and reading them before is a typed error.
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    const agent = new StatefulAgent();
    expect(() => agent.id).toThrow(/not bound to a runtime yet/);
    await runtime.registerAgentInstance(agent, { type: "name2", key: "namespace2" });
    expect([agent.id.type, agent.id.key]).toEqual(["name2", "namespace2"]);
    expect(agent.runtime).toBe(runtime);
  });
});
