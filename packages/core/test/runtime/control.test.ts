import { context, SpanKind, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CancelledError,
  ClosureAgent,
  DefaultSubscription,
  DefaultTopicId,
  DropMessage,
  type InterventionHandler,
  jsonSerializer,
  type MessageContext,
  messageType,
  RoutedAgent,
  SerializationRegistry,
  SingleThreadedAgentRuntime,
  silentLogger,
} from "../../src/index.js";
import { rejection } from "../support/rejection.js";

class Note {
  constructor(readonly text: string) {}
}

class Notebook extends RoutedAgent {
  notes: string[] = [];
  static {
    this.handle(Note, async function (note) {
      this.notes.push(note.text);
      return this.notes.length;
    });
  }
  override async saveState(): Promise<Record<string, unknown>> {
    return { notes: [...this.notes] };
  }
  override async loadState(state: Record<string, unknown>): Promise<void> {
    this.notes = [...(state.notes as string[])];
  }
}

let runtime: SingleThreadedAgentRuntime;
afterEach(async () => {
  await runtime?.close();
});

describe("cancellation", () => {
  it("rejects a cancelled sendMessage at once and aborts the handler's signal", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    let handlerSignal: AbortSignal | undefined;
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    await ClosureAgent.registerClosure(runtime, "slow", async (_a, _m, ctx: MessageContext) => {
      handlerSignal = ctx.signal;
      await blocked; // ignores the signal on purpose: the caller must not wait for it
      return "late";
    });
    const controller = new AbortController();
    const reply = runtime.sendMessage("go", { type: "slow", key: "k" }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 1));
    expect(handlerSignal?.aborted).toBe(false);
    controller.abort();
    const error = await rejection(reply);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(error.code).toBe("cancelled");
    expect(handlerSignal?.aborted).toBe(true);
    release();
  });

  it("rejects an already-aborted signal before delivery, and reports a timeout as such", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    let calls = 0;
    await ClosureAgent.registerClosure(runtime, "echo", async (_a, m, ctx: MessageContext) => {
      calls += 1;
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, 10_000);
        ctx.signal.addEventListener("abort", () => {
          clearTimeout(t);
          reject(ctx.signal.reason);
        });
      });
      return m;
    });
    const aborted = AbortSignal.abort();
    await expect(
      runtime.sendMessage("x", { type: "echo", key: "k" }, { signal: aborted }),
    ).rejects.toMatchObject({
      code: "cancelled",
    });
    expect(calls).toBe(0);
    const timedOut = await rejection(
      runtime.sendMessage("x", { type: "echo", key: "k" }, { signal: AbortSignal.timeout(5) }),
    );
    expect(timedOut.code).toBe("timeout");
    expect(calls).toBe(1);
  });
});

describe("intervention handlers", () => {
  it("can inspect, rewrite and drop sends, publishes and responses", async () => {
    const seen: string[] = [];
    const handler: InterventionHandler = {
      onSend(message, ctx) {
        seen.push(`send ${ctx.recipient.toString()} ${(message as Note).text}`);
        if ((message as Note).text === "secret") return DropMessage;
        return new Note((message as Note).text.toUpperCase());
      },
      onPublish(message) {
        seen.push(`publish ${(message as Note).text}`);
        return (message as Note).text === "spam" ? DropMessage : message;
      },
      async onResponse(reply) {
        return (reply as number) * 100;
      },
    };
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, interventionHandlers: [handler] });
    runtime.start();
    await Notebook.register(runtime, "notebook", () => new Notebook(), {
      subscriptions: (t) => [new DefaultSubscription({ agentType: t })],
    });
    const id = { type: "notebook", key: "default" };
    expect(await runtime.sendMessage(new Note("hi"), id)).toBe(100);
    await expect(runtime.sendMessage(new Note("secret"), id)).rejects.toMatchObject({
      code: "message_dropped",
    });
    await runtime.publishMessage(new Note("spam"), new DefaultTopicId());
    await runtime.publishMessage(new Note("ham"), new DefaultTopicId());
    await runtime.stopWhenIdle();
    const notebook = await runtime.getAgentInstance<Notebook>(id);
    expect(notebook.notes).toEqual(["HI", "ham"]);
    expect(seen).toEqual([
      "send notebook/default hi",
      "send notebook/default secret",
      "publish spam",
      "publish ham",
    ]);
  });
});

describe("state", () => {
  it("saves and loads the whole runtime and single agents", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    await runtime.registerFactory("notebook", () => new Notebook());
    await runtime.sendMessage(new Note("a"), { type: "notebook", key: "1" });
    await runtime.sendMessage(new Note("b"), { type: "notebook", key: "2" });
    const state = await runtime.saveState();
    expect(state).toEqual({
      version: 1,
      agents: { "notebook/1": { notes: ["a"] }, "notebook/2": { notes: ["b"] } },
    });
    const json = JSON.parse(JSON.stringify(state));

    const fresh = new SingleThreadedAgentRuntime({ logger: silentLogger });
    fresh.start();
    await fresh.registerFactory("notebook", () => new Notebook());
    await fresh.loadState(json);
    expect(await fresh.sendMessage(new Note("c"), { type: "notebook", key: "1" })).toBe(2);
    expect(await fresh.agentSaveState({ type: "notebook", key: "1" })).toEqual({ notes: ["a", "c"] });
    await fresh.agentLoadState({ type: "notebook", key: "2" }, { notes: [] });
    expect(await fresh.agentSaveState({ type: "notebook", key: "2" })).toEqual({ notes: [] });
    await expect(fresh.loadState({ agents: {} } as never)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(fresh.loadState({ version: 1, agents: { "ghost/1": {} } })).rejects.toThrow(
      /not registered/,
    );
    await fresh.close();
  });
});

describe("serialization registry", () => {
  it("round-trips classes and plain-object types by name, and rejects the unknown", () => {
    interface Ping {
      type: "ping";
      n: number;
    }
    const Ping = messageType<Ping>("ping");
    const registry = new SerializationRegistry();
    registry.add([jsonSerializer(Note), jsonSerializer(Ping)]);
    const note = registry.serialize(new Note("hello"));
    expect(note).toEqual({ typeName: "Note", dataContentType: "application/json", data: '{"text":"hello"}' });
    const back = registry.deserialize(note);
    expect(back).toBeInstanceOf(Note);
    expect((back as Note).text).toBe("hello");
    expect(registry.deserialize(registry.serialize({ type: "ping", n: 3 }))).toEqual({ type: "ping", n: 3 });
    expect(registry.typeNameOf({ type: "ping", n: 1 })).toBe("ping");
    expect(() => registry.serialize(42)).toThrow(/No serializer handles this message/);
    expect(() =>
      registry.deserialize({ typeName: "Nope", dataContentType: "application/json", data: "{}" }),
    ).toThrow(/No serializer for message type "Nope"/);
    expect(() =>
      registry.deserialize({ typeName: "Note", dataContentType: "application/json", data: "{" }),
    ).toThrow(/Could not decode/);
  });

  it("in-process delivery passes the same object, never a copy", async () => {
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger });
    runtime.start();
    runtime.addMessageSerializer(jsonSerializer(Note));
    let received: unknown;
    await ClosureAgent.registerClosure(runtime, "probe", async (_a, m) => {
      received = m;
    });
    const note = new Note("same");
    await runtime.sendMessage(note, { type: "probe", key: "k" });
    expect(received).toBe(note);
  });
});

describe("OpenTelemetry", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  it("records send, publish and process spans, nested send under the handler that made it", async () => {
    exporter.reset();
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, tracerProvider: provider });
    runtime.start();
    await Notebook.register(runtime, "notebook", () => new Notebook());
    await ClosureAgent.registerClosure(
      runtime,
      "relay",
      async (agent, m: Note) =>
        agent.sendMessage(new Note(`relayed ${m.text}`), { type: "notebook", key: "k" }),
      { subscriptions: [new DefaultSubscription({ agentType: "relay" })] },
    );
    await runtime.sendMessage(new Note("direct"), { type: "relay", key: "default" });
    await runtime.publishMessage(new Note("broadcast"), new DefaultTopicId());
    await runtime.stopWhenIdle();
    const spans = exporter.getFinishedSpans();
    const names = spans.map((s) => s.name);
    expect(names).toContain("autogen send relay");
    expect(names).toContain("autogen publish default");
    expect(names.filter((n) => n === "autogen process relay")).toHaveLength(2);
    // The relay's own send is a child of its process span: one tree per request.
    const outer = spans.find((s) => s.name === "autogen send relay")!;
    const processRelay = spans.find(
      (s) => s.name === "autogen process relay" && s.parentSpanContext?.spanId === outer.spanContext().spanId,
    )!;
    expect(processRelay.kind).toBe(SpanKind.CONSUMER);
    const inner = spans.find(
      (s) =>
        s.name === "autogen send notebook" &&
        s.parentSpanContext?.spanId === processRelay.spanContext().spanId,
    );
    expect(inner).toBeDefined();
    expect(
      new Set(spans.filter((s) => s.name !== "autogen publish default").map((s) => s.spanContext().traceId))
        .size,
    ).toBe(2);
  });

  it("marks a failed handler's process span as an error", async () => {
    exporter.reset();
    runtime = new SingleThreadedAgentRuntime({ logger: silentLogger, tracerProvider: provider });
    runtime.start();
    await ClosureAgent.registerClosure(runtime, "failing", async () => {
      throw new Error("nope");
    });
    await runtime.sendMessage("x", { type: "failing", key: "k" }).catch(() => undefined);
    const process = exporter.getFinishedSpans().find((s) => s.name === "autogen process failing");
    expect(process?.status.code).toBe(2);
    expect(process?.attributes["error.type"]).toBe("Error");
  });

  it("creates no spans without a configured provider", async () => {
    expect(trace.getTracerProvider().getTracer("x").startSpan("probe").isRecording()).toBe(false);
  });
});

describe("lifecycle", () => {
  it("goes idle, running, stopped, running, closed; closed is final", async () => {
    const runtime = new SingleThreadedAgentRuntime();
    expect(runtime.status).toBe("idle");
    runtime.start();
    expect(runtime.status).toBe("running");
    await runtime.stop();
    expect(runtime.status).toBe("stopped");
    runtime.start();
    await runtime.close();
    expect(runtime.status).toBe("closed");
    await runtime.stop();
    expect(runtime.status).toBe("closed");
    expect(() => runtime.start()).toThrow(/closed/);
    await runtime.close();
  });
});
