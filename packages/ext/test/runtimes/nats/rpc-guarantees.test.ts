/**
 * No RPC waits forever (issue 17 part 1): a request no worker acknowledges fails as `undeliverable` and
 * never runs; a worker that dies after acknowledging fails it with `worker_lost`; a default overall limit
 * exists and can be turned off per call; a worker whose event loop is blocked is busy, not lost.
 */
import { CancelledError, ClosureAgent, DeliveryError, ValidationError } from "@autogen-ts/core";
import { afterEach, describe, expect, it } from "vitest";
import { rejection } from "../../../../core/test/support/rejection.js";
import { requireService, tcpReachable } from "../../../../core/test/support/services.js";
import { cleanUp, NATS, newPrefix, runtime, spawnWorker, until } from "./support.js";

const available = requireService("NATS", await tcpReachable(NATS), NATS);

afterEach(cleanUp);

describe.skipIf(!available)("NatsAgentRuntime RPC guarantees", () => {
  it("fails a request no worker acknowledges as undeliverable, and the late worker skips it", async () => {
    const prefix = newPrefix();
    const worker = await spawnWorker("job", prefix, "frozen");
    const caller = await runtime(prefix, { ackTimeoutMs: 300 });
    // A frozen process keeps its connection (the server still routes to it) but cannot acknowledge.
    worker.child.kill("SIGSTOP");
    const error = await rejection(caller.sendMessage({ kind: "work" }, { type: "job", key: "k" }));
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect(error.code).toBe("undeliverable");
    expect(error.message).toMatch(/acknowledged .* within 300 ms; it did not run/);
    worker.child.kill("SIGCONT");
    // Once it runs again, it skips the request it got too late: the handler never ran.
    expect(await caller.sendMessage({ kind: "count" }, { type: "job", key: "k" })).toEqual({ handled: 0 });
  });

  it("fails a request whose worker dies after acknowledging with worker_lost", async () => {
    const prefix = newPrefix();
    const worker = await spawnWorker("job", prefix, "doomed");
    const caller = await runtime(prefix, { ackTimeoutMs: 300 });
    const pending = caller.sendMessage({ kind: "hang" }, { type: "job", key: "k" }, { timeoutMs: null });
    await until(() => worker.output().includes("handling"));
    worker.child.kill("SIGKILL");
    const error = await rejection(pending);
    expect(error.code).toBe("worker_lost");
    expect(error.details.worker).toBe("doomed");
  });

  it("does not count a worker whose event loop is blocked as lost", async () => {
    const prefix = newPrefix();
    await spawnWorker("job", prefix, "busy");
    // Liveness checks every 50 ms that give up after 100 ms: the 1.5 s handler misses many of them.
    const caller = await runtime(prefix, { livenessIntervalMs: 50, livenessTimeoutMs: 100 });
    expect(await caller.sendMessage({ kind: "block", ms: 1500 }, { type: "job", key: "k" })).toEqual({
      worker: "busy",
    });
  });

  it("has a default overall time limit, set per runtime or per call, and off per call", async () => {
    const prefix = newPrefix();
    const worker = await runtime(prefix);
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
    const limited = await runtime(prefix, { requestTimeoutMs: 100 });
    const error = await rejection(limited.sendMessage({}, { type: "slow", key: "a" }));
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(error.code).toBe("timeout");
    await until(() => aborted.length === 1);

    const perCall = await rejection(limited.sendMessage({}, { type: "slow", key: "b" }, { timeoutMs: 50 }));
    expect(perCall.code).toBe("timeout");
    await until(() => aborted.length === 2);

    // Off for one call: it outlives the runtime's limit and ends only when the caller cancels.
    const controller = new AbortController();
    let settled = false;
    const unlimited = limited
      .sendMessage({}, { type: "slow", key: "c" }, { timeoutMs: null, signal: controller.signal })
      .finally(() => {
        settled = true;
      });
    await until(() => started === 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    controller.abort();
    expect((await rejection(unlimited)).code).toBe("cancelled");

    const bad = await rejection(limited.sendMessage({}, { type: "slow", key: "d" }, { timeoutMs: -1 }));
    expect(ValidationError.isInstance(bad)).toBe(true);
    await expect(runtime(prefix, { ackTimeoutMs: 0 })).rejects.toThrow(/ackTimeoutMs/);
  });
});
