/**
 * At-least-once published messages on JetStream (issue 17 part 2): kept while every subscriber is down,
 * de-duplicated by message id, acknowledged after the handler, redelivered with a delivery count,
 * dead-lettered with the error after N tries; plain subjects stay available and are at most once.
 */
import { ClosureAgent, type MessageContext, TypeSubscription } from "@autogen-ts/core";
import { jetStreamNames } from "@autogen-ts/ext/runtimes/nats";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterEach, describe, expect, it } from "vitest";
import { requireService, tcpReachable } from "../../../../core/test/support/services.js";
import { capturingLogger, cleanUp, NATS, Note, newPrefix, runtime, until } from "./support.js";

const available = requireService("NATS", await tcpReachable(NATS), NATS);

afterEach(cleanUp);

type Seen = { text: string; count: number | undefined; key: string };

async function sink(
  prefix: string,
  seen: Seen[],
  extra: Parameters<typeof runtime>[1] = {},
  handler?: (note: Note, ctx: MessageContext) => Promise<void>,
) {
  const rt = await runtime(prefix, { logger: capturingLogger(), ...extra });
  await ClosureAgent.registerClosure(
    rt,
    "sink",
    async (agent, message, ctx) => {
      await handler?.(message as Note, ctx);
      seen.push({ text: (message as Note).text, count: ctx.deliveryCount, key: agent.id.key });
    },
    { subscriptions: [new TypeSubscription({ topicType: "notes", agentType: "sink" })] },
  );
  await rt.start();
  return rt;
}

describe.skipIf(!available)("NatsAgentRuntime JetStream events", () => {
  it("keeps what was published while every subscriber was down and delivers it when one comes back", async () => {
    const prefix = newPrefix();
    const first: Seen[] = [];
    const early = await sink(prefix, first);
    await early.close();
    const publisher = await runtime(prefix);
    for (const text of ["a", "b", "c"])
      await publisher.publishMessage(new Note(text), { type: "notes", source: "s" });
    const later: Seen[] = [];
    await sink(prefix, later);
    await until(() => later.length === 3);
    expect(later.map((s) => s.text)).toEqual(["a", "b", "c"]);
    expect(later.every((s) => s.count === 1)).toBe(true);
    expect(first).toEqual([]);
  });

  it("drops a retried publish with the same message id (the server's duplicate window)", async () => {
    const prefix = newPrefix();
    const seen: Seen[] = [];
    await sink(prefix, seen);
    const publisher = await runtime(prefix);
    await publisher.publishMessage(new Note("once"), { type: "notes", source: "s" }, { messageId: "m-1" });
    await publisher.publishMessage(new Note("once"), { type: "notes", source: "s" }, { messageId: "m-1" });
    await publisher.publishMessage(new Note("next"), { type: "notes", source: "s" }, { messageId: "m-2" });
    await until(() => seen.length >= 2);
    await publisher.publishMessage(new Note("last"), { type: "notes", source: "s" });
    await until(() => seen.some((s) => s.text === "last"));
    expect(seen.map((s) => s.text)).toEqual(["once", "next", "last"]);
  });

  it("redelivers after a failed handler, with the delivery count, and acknowledges after success", async () => {
    const prefix = newPrefix();
    const seen: Seen[] = [];
    const counts: (number | undefined)[] = [];
    await sink(prefix, seen, {}, async (_note, ctx) => {
      counts.push(ctx.deliveryCount);
      if ((ctx.deliveryCount ?? 0) < 3) throw new Error("not yet");
    });
    const publisher = await runtime(prefix);
    await publisher.publishMessage(new Note("flaky"), { type: "notes", source: "s" });
    await until(() => seen.length === 1);
    expect(counts).toEqual([1, 2, 3]);
    expect(seen).toEqual([{ text: "flaky", count: 3, key: "s" }]);
  });

  it("moves a message that keeps failing to the dead-letter stream with the error", async () => {
    const prefix = newPrefix();
    const seen: Seen[] = [];
    const counts: (number | undefined)[] = [];
    await sink(prefix, seen, { maxDeliveries: 3 }, async (_note, ctx) => {
      counts.push(ctx.deliveryCount);
      throw new TypeError("always broken");
    });
    const publisher = await runtime(prefix);
    await publisher.publishMessage(new Note("poison"), { type: "notes", source: "s" }, { messageId: "p-1" });
    const jsm = await jetstreamManager(publisher.connection);
    const dead = jetStreamNames(prefix).dead;
    await until(() => counts.length === 3);
    let letter: Awaited<ReturnType<typeof jsm.streams.getMessage>> | null = null;
    while (letter === null) {
      letter = await jsm.streams.getMessage(dead, { seq: 1 }).catch(() => null);
      if (letter === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(counts).toEqual([1, 2, 3]);
    const error = JSON.parse(letter.header.get("ag-error"));
    expect(error).toMatchObject({ name: "TypeError", message: "always broken" });
    expect(letter.header.get("ag-deliveries")).toBe("3");
    expect(letter.header.get("ce-id")).toBe("p-1");
    expect(JSON.parse(new TextDecoder().decode(letter.data))).toEqual({ text: "poison" });
  });

  it("redelivers to another worker the message whose worker died before acknowledging", async () => {
    const prefix = newPrefix();
    const seen: Seen[] = [];
    let started = 0;
    const doomed = await sink(prefix, [], { ackWaitMs: 500 }, async () => {
      started += 1;
      await new Promise(() => {});
    });
    const publisher = await runtime(prefix);
    await publisher.publishMessage(new Note("survives"), { type: "notes", source: "s" });
    await until(() => started === 1);
    // The connection drops without an ack, as when the process is killed.
    await doomed.connection.close();
    await sink(prefix, seen, { ackWaitMs: 500 });
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ text: "survives", count: 2, key: "s" }]);
  });

  it("keeps plain (at-most-once) subjects as an option", async () => {
    const prefix = newPrefix();
    const early: Seen[] = [];
    const down = await sink(prefix, early, { events: "plain" });
    await down.close();
    const publisher = await runtime(prefix, { events: "plain" });
    await publisher.publishMessage(new Note("lost"), { type: "notes", source: "s" });
    const seen: Seen[] = [];
    await sink(prefix, seen, { events: "plain" });
    await publisher.publishMessage(new Note("heard"), { type: "notes", source: "s" });
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ text: "heard", count: undefined, key: "s" }]);
    await expect(runtime(prefix, { events: "carrier-pigeon" as never })).rejects.toThrow(/events must be/);
  });
});
