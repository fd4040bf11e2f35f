import { describe, expect, it } from "vitest";
import { DeliveryError, ValidationError } from "../../src/errors.js";
import { AgentDirectory } from "../../src/runtime/agent-directory.js";
import { RoutedAgent } from "../../src/runtime/routed-agent.js";
import { SingleThreadedAgentRuntime } from "../../src/runtime/single-threaded-runtime.js";
import { rejection } from "../support/rejection.js";

class Keeper extends RoutedAgent {
  value = 0;
  closed = false;
  override async saveState(): Promise<Record<string, unknown>> {
    return { value: this.value };
  }
  override async loadState(state: Record<string, unknown>): Promise<void> {
    this.value = state.value as number;
  }
  override async close(): Promise<void> {
    this.closed = true;
  }
}

function directory() {
  return new AgentDirectory({ runtime: new SingleThreadedAgentRuntime() });
}

describe("AgentDirectory", () => {
  it("creates an agent once however many ask at the same time, and binds it", async () => {
    const agents = directory();
    let made = 0;
    agents.registerFactory("keeper", async () => {
      made += 1;
      await new Promise((r) => setTimeout(r, 5));
      return new Keeper();
    });
    const [a, b, c] = await Promise.all([
      agents.agent("keeper", "x"),
      agents.agent("keeper", "x"),
      agents.agent("keeper", "x"),
    ]);
    expect(made).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.id.toString()).toBe("keeper/x");
    // The live instance comes back synchronously.
    expect(agents.get("keeper", "x")).toBe(a);
  });

  it("refuses a second factory, a factory over instances, and instances under a factory", () => {
    const agents = directory();
    agents.registerFactory("keeper", () => new Keeper());
    expect(() => agents.registerFactory("keeper", () => new Keeper())).toThrow(ValidationError);
    expect(() => agents.registerInstance(new Keeper(), { type: "keeper", key: "a" })).toThrow(
      /registered with a factory/,
    );
    agents.registerInstance(new Keeper(), { type: "single", key: "a" });
    expect(() => agents.registerFactory("single", () => new Keeper())).toThrow(/instances/);
    expect(() => agents.registerInstance(new Keeper(), { type: "single", key: "a" })).toThrow(
      /already registered/,
    );
    expect(agents.types()).toEqual(["keeper", "single"]);
  });

  it("rejects an unknown type with the runtime's own error, and a failing factory with undeliverable", async () => {
    const agents = new AgentDirectory({
      runtime: new SingleThreadedAgentRuntime(),
      missing: (id) => new DeliveryError("undeliverable", `not here: ${id.type}`),
    });
    expect((await rejection(agents.agent("ghost", "a"))).message).toBe("not here: ghost");
    let calls = 0;
    agents.registerFactory("flaky", () => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
      return new Keeper();
    });
    const error = await rejection(agents.agent("flaky", "a"));
    expect(DeliveryError.isInstance(error) && error.code).toBe("undeliverable");
    expect((error as Error).cause).toBeInstanceOf(Error);
    // The next message tries again.
    expect(await agents.agent("flaky", "a")).toBeInstanceOf(Keeper);
  });

  it("checks the factory's class", async () => {
    const agents = directory();
    class Other extends RoutedAgent {}
    agents.registerFactory("keeper", () => new Other() as unknown as Keeper, { expectedClass: Keeper });
    expect(String(await rejection(agents.agent("keeper", "a")))).toMatch(/not the expected class/);
  });

  it("saves and loads state, refusing a type it does not host, and evicts an instance", async () => {
    const agents = directory();
    agents.registerFactory("keeper", () => new Keeper());
    ((await agents.agent("keeper", "a")) as Keeper).value = 7;
    const state = await agents.saveState();
    expect(state).toEqual({ version: 1, agents: { "keeper/a": { value: 7 } } });

    const other = directory();
    other.registerFactory("keeper", () => new Keeper());
    await other.loadState(state);
    expect(((await other.agent("keeper", "a")) as Keeper).value).toBe(7);
    const bad = await rejection(other.loadState({ version: 1, agents: { "ghost/a": {} } }));
    expect(ValidationError.isInstance(bad) && bad.code).toBe("invalid_state");
    expect(ValidationError.isInstance(await rejection(other.loadState({} as never)))).toBe(true);

    const first = (await other.agent("keeper", "a")) as Keeper;
    expect(await other.evict("keeper", "a")).toBe(true);
    expect(first.closed).toBe(true);
    expect(other.live("keeper", "a")).toBeUndefined();
    expect(await other.agent("keeper", "a")).not.toBe(first);
    expect(await other.evict("keeper", "nobody")).toBe(false);
  });
});
