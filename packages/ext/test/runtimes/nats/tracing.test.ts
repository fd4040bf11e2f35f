/**
 * W3C trace context across runtimes (issue 17 part 4): a send, the handler it reaches on another runtime,
 * the send that handler makes to a third runtime, and the publish that one makes form one trace tree.
 */

import { ClosureAgent, TypeSubscription } from "@autogen-ts/core";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { requireService, tcpReachable } from "../../../../core/test/support/services.js";
import { cleanUp, NATS, newPrefix, runtime, until } from "./support.js";

const available = requireService("NATS", await tcpReachable(NATS), NATS);

afterEach(cleanUp);

describe.skipIf(!available)("NatsAgentRuntime tracing", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  it("carries the trace context in headers, so a run over three runtimes is one trace tree", async () => {
    const prefix = newPrefix();
    const [one, two, three] = await Promise.all(
      [1, 2, 3].map(() => runtime(prefix, { tracerProvider: provider })),
    );
    let heard = 0;
    await ClosureAgent.registerClosure(two!, "front", async (agent, message) =>
      agent.runtime.sendMessage(message, { type: "back", key: "k" }),
    );
    await ClosureAgent.registerClosure(three!, "back", async (agent, message) => {
      await agent.runtime.publishMessage(message, { type: "done", source: "k" });
      return "ok";
    });
    await ClosureAgent.registerClosure(
      one!,
      "listener",
      async () => {
        heard += 1;
      },
      { subscriptions: [new TypeSubscription({ topicType: "done", agentType: "listener" })] },
    );
    await Promise.all([one!.start(), two!.start(), three!.start()]);
    const tracer = provider.getTracer("test");
    await tracer.startActiveSpan("user request", async (root) => {
      expect(await one!.sendMessage({ q: 1 }, { type: "front", key: "k" })).toBe("ok");
      root.end();
    });
    await until(() => heard === 1);
    await until(() => exporter.getFinishedSpans().some((s) => s.name === "autogen process listener"));
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => {
      const span = spans.find((s) => s.name === name);
      if (span === undefined) throw new Error(`no span ${name}: ${spans.map((s) => s.name).join(", ")}`);
      return span;
    };
    const root = byName("user request");
    const sendFront = byName("autogen send front");
    const processFront = byName("autogen process front");
    const sendBack = byName("autogen send back");
    const processBack = byName("autogen process back");
    const publish = byName("autogen publish done");
    const processListener = byName("autogen process listener");
    const chain = [root, sendFront, processFront, sendBack, processBack, publish, processListener];
    expect(new Set(chain.map((s) => s.spanContext().traceId)).size).toBe(1);
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]?.parentSpanContext?.spanId, chain[i]?.name).toBe(chain[i - 1]?.spanContext().spanId);
    }
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
