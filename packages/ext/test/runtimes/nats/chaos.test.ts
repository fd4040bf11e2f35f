/**
 * The chaos test (issue 17): a caller and three worker processes; 10,000 RPCs and 10,000 publishes while
 * a worker is SIGKILLed and a replacement started every second. At the end every RPC has an answer or a
 * typed error, no publish is lost, and a message was handled twice only where its delivery count says it
 * was delivered again. Bounded: the traffic has fixed counts, and waiting for the last deliveries has a
 * deadline (the test fails if it passes).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CancelledError, DeliveryError, silentLogger } from "@autogen-ts/core";
import { afterEach, describe, expect, it } from "vitest";
import { requireService, tcpReachable } from "../../../../core/test/support/services.js";
import { removeDir, tempDir } from "./nats-server.js";
import { cleanUp, NATS, newPrefix, runtime, until } from "./support.js";

const available = requireService("NATS", await tcpReachable(NATS), NATS);
const COUNT = Number(process.env.CHAOS_COUNT ?? 10_000);
const trace = process.env.CHAOS_TRACE === "1" ? (m: string) => console.log(`[chaos] ${m}`) : () => undefined;
const IN_FLIGHT = 100;

afterEach(cleanUp);

describe.skipIf(!available)("NatsAgentRuntime under chaos", () => {
  it("answers or fails every RPC and loses no publish while workers are killed and restarted", {
    timeout: 110_000,
  }, async () => {
    const prefix = newPrefix();
    const dir = tempDir();
    const log = join(dir, "deliveries.log");
    const script = fileURLToPath(new URL("./fixtures/chaos-worker.ts", import.meta.url));
    const alive = new Set<ChildProcess>();
    let started = 0;
    const startWorker = async (): Promise<ChildProcess> => {
      started += 1;
      const child = spawn(
        process.execPath,
        ["--conditions", "@autogen-ts/source", "--import", "tsx", script, prefix, `w${started}`],
        { env: { ...process.env, NATS_URL: NATS, CHAOS_LOG: log }, stdio: ["ignore", "pipe", "inherit"] },
      );
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      let exited = false;
      child.once("exit", () => {
        exited = true;
        alive.delete(child);
      });
      await until(() => out.includes("ready") || exited);
      if (!exited) alive.add(child);
      return child;
    };
    try {
      await Promise.all([startWorker(), startWorker(), startWorker()]);
      trace(`workers ready: ${alive.size}`);
      const caller = await runtime(prefix, {
        logger: silentLogger,
        ackTimeoutMs: 2000,
        requestTimeoutMs: 30_000,
      });

      // Every second: kill one worker (SIGKILL, no goodbye) and start a replacement. A replacement takes
      // seconds to boot on a loaded machine, so a kill waits until at least two are up (one survives).
      let chaos = true;
      let kills = 0;
      const chaosLoop = (async () => {
        while (chaos) {
          await new Promise((r) => setTimeout(r, 1000));
          await until(() => alive.size >= 2 || !chaos);
          if (!chaos) break;
          const victim = [...alive][0];
          if (victim !== undefined) {
            victim.kill("SIGKILL");
            kills += 1;
          }
          void startWorker();
        }
      })();

      const outcomes = { ok: 0, workerLost: 0, undeliverable: 0, timeout: 0, other: [] as unknown[] };
      const rpc = async (i: number) => {
        try {
          await caller.sendMessage({ n: i }, { type: "job", key: `k${i % 50}` });
          outcomes.ok += 1;
        } catch (error) {
          if (DeliveryError.isInstance(error) && error.code === "worker_lost") outcomes.workerLost += 1;
          else if (DeliveryError.isInstance(error) && error.code === "undeliverable")
            outcomes.undeliverable += 1;
          else if (CancelledError.isInstance(error) && error.code === "timeout") outcomes.timeout += 1;
          else outcomes.other.push(error);
        }
      };
      const published: string[] = [];
      const publish = async (i: number) => {
        const messageId = `${prefix}-e${i}`;
        // A publish whose ack was lost to the chaos is retried with the same id: the server de-duplicates.
        for (;;) {
          try {
            await caller.publishMessage(
              { text: `n${i}` },
              { type: "chaos", source: `s${i % 20}` },
              { messageId },
            );
            break;
          } catch (error) {
            if (i === 0) trace(`publish failed: ${String(error)}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        published.push(messageId);
      };
      const pool = async (count: number, run: (i: number) => Promise<void>) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < count) await run(next++);
          }),
        );
      };
      const progress = setInterval(
        () =>
          trace(
            `rpc ok ${outcomes.ok} lost ${outcomes.workerLost} undeliverable ${outcomes.undeliverable} timeout ${outcomes.timeout}; published ${published.length}; alive ${alive.size}`,
          ),
        1000,
      );
      await Promise.all([pool(COUNT, rpc), pool(COUNT, publish)]);
      clearInterval(progress);
      chaos = false;
      await chaosLoop;
      if (alive.size === 0) await startWorker();

      // Every RPC settled, with an answer or a typed error.
      expect(outcomes.other).toEqual([]);
      expect(outcomes.ok + outcomes.workerLost + outcomes.undeliverable + outcomes.timeout).toBe(COUNT);
      expect(kills).toBeGreaterThan(0);

      // Every publish is handled at least once (the deadline bounds the wait).
      const deadline = Date.now() + 60_000;
      const handled = new Map<string, number[]>();
      const read = () => {
        handled.clear();
        if (!existsSync(log)) return;
        for (const line of readFileSync(log, "utf8").split("\n")) {
          const [id, count] = line.split(" ");
          if (!id) continue;
          const list = handled.get(id) ?? [];
          list.push(Number(count));
          handled.set(id, list);
        }
      };
      await until(() => {
        read();
        return handled.size >= COUNT || Date.now() > deadline;
      });
      expect(published.length).toBe(COUNT);
      expect(published.filter((id) => !handled.has(id))).toEqual([]);
      // Handled more than once only when it was delivered more than once.
      const unexplained = [...handled].filter(([, counts]) => counts.length > 1 && Math.max(...counts) < 2);
      expect(unexplained).toEqual([]);
      console.log(
        `chaos: ${kills} kills; RPCs ok ${outcomes.ok}, worker_lost ${outcomes.workerLost}, undeliverable ${outcomes.undeliverable}, timeout ${outcomes.timeout}; publishes ${COUNT}, handled twice or more ${[...handled.values()].filter((c) => c.length > 1).length}`,
      );
    } finally {
      for (const child of alive) child.kill("SIGKILL");
      removeDir(dir);
    }
  });
});
