/**
 * Traces you can see: spans exported over OTLP (HTTP/protobuf and HTTP/JSON, configured by the OTEL_*
 * variables) to a receiver this test starts; a CLI run is one connected trace across its agents, model
 * and tool calls; a team split over two processes on NATS is one connected trace too.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { groupChatSerializers, traceRun } from "@autogen-ts/agentchat";
import { context, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService, tcpReachable } from "../../../core/test/support/services.js";
import { startTracing, tracingRequested } from "../../src/tracing/index.js";
import { cleanUp, NATS, newPrefix, runtime, until } from "../runtimes/nats/support.js";
import { type OtlpReceiver, startOtlpReceiver, treeProblems } from "../support/otlp-receiver.js";
import { team } from "./fixtures/team.js";

const BIN = fileURLToPath(new URL("../../../cli/src/bin.ts", import.meta.url));
const EXAMPLE = fileURLToPath(new URL("../../../../examples/evals/team.json", import.meta.url));

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

function run(args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions", "@autogen-ts/source", "--import", "tsx", BIN, ...args],
      {
        env: { ...process.env, NO_COLOR: "1", ...env },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("close", resolve);
  });
}

describe("OTLP export", () => {
  it.each(["http/protobuf", "http/json"])("a CLI run is one connected trace (%s)", async (protocol) => {
    receiver.spans.length = 0;
    const code = await run(["run", EXAMPLE, "--task", "What is 17 * 23?", "--allow-code"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: "cli-test",
    });
    expect(code).toBe(0);
    expect(receiver.contentTypes.at(-1)).toBe(
      protocol === "http/json" ? "application/json" : "application/x-protobuf",
    );
    const spans = receiver.spans;
    expect(treeProblems(spans)).toEqual([]);
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "run RoundRobinGroupChat",
        "invoke_agent researcher",
        "invoke_agent writer",
        "chat replay-gpt",
        "execute_tool multiply",
      ]),
    );
    expect(spans.every((s) => s.service === "cli-test")).toBe(true);
    const root = spans.find((s) => s.parentSpanId === "");
    expect(root?.name).toBe("run RoundRobinGroupChat");
    expect(root?.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    const chat = spans.find((s) => s.name === "chat replay-gpt");
    expect(chat?.attributes["gen_ai.request.model"]).toBe("replay-gpt");
  });

  it("reads the OTEL_* variables, and refuses what it cannot do", async () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x" })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_TRACES_EXPORTER: "none" })).toBe(
      false,
    );
    await expect(
      startTracing({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, register: false }),
    ).rejects.toThrow(/grpc is not supported/);
    await expect(startTracing({ env: { OTEL_TRACES_EXPORTER: "zipkin" }, register: false })).rejects.toThrow(
      /zipkin is not supported/,
    );
  });
});

const natsUp = requireService("NATS", await tcpReachable(NATS), NATS);

describe.skipIf(!natsUp)("a team over two processes", () => {
  afterAll(cleanUp);

  it("is one connected trace in the receiver, with spans from both processes", async () => {
    receiver.spans.length = 0;
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: "worker-b",
      NATS_URL: NATS,
    };
    const tracing = await startTracing({ env: { ...env, OTEL_SERVICE_NAME: "host-a" }, simple: true });
    try {
      const prefix = newPrefix();
      const teamId = `traced${Date.now().toString(36)}`;
      const script = fileURLToPath(new URL("./fixtures/team-worker.ts", import.meta.url));
      const child = spawn(
        process.execPath,
        ["--conditions", "@autogen-ts/source", "--import", "tsx", script, prefix, teamId],
        {
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let out = "";
      let exited = false;
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
      void closed.then(() => {
        exited = true;
      });
      await until(() => out.includes("ready") || exited);
      expect(out).toContain("ready");

      const rt = await runtime(prefix);
      rt.addMessageSerializer(groupChatSerializers());
      const teamA = team(rt, teamId, "alice", true);
      await teamA.serve();
      await rt.start();
      const messages: string[] = [];
      for await (const item of traceRun("support", () => teamA.runStream({ task: "Say hello" })))
        if (!("messages" in item))
          messages.push(`${item.source}:${(item as unknown as { content: string }).content}`);
      expect(messages).toEqual(["user:Say hello", "alice:Hello from alice", "bob:Hi alice, bob here"]);

      // Process B sends what it has when told to stop; then every span of the run is in.
      child.kill("SIGTERM");
      await closed;
      await tracing.forceFlush();
      const spans = receiver.spans;
      expect(treeProblems(spans)).toEqual([]);
      expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["host-a", "worker-b"]));
      const where = (name: string) => spans.find((s) => s.name === name)?.service;
      expect(where("run support")).toBe("host-a");
      expect(where("invoke_agent alice")).toBe("host-a");
      expect(where("invoke_agent bob")).toBe("worker-b");
      expect(spans.filter((s) => s.service === "worker-b").map((s) => s.name)).toContain("chat unknown");
    } finally {
      await tracing.shutdown();
      trace.disable();
      context.disable();
    }
  });
});
