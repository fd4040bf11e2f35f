/**
 * Operations (issue 17 part 4) against nats-servers this file starts: TLS, token, user/password and NKey
 * logins; a worker that starts while NATS is down retries and says so; drain() finishes what runs;
 * intervention hooks on the receiving side.
 */
import {
  ClosureAgent,
  DeliveryError,
  DropMessage,
  type InterventionHandler,
  TypeSubscription,
} from "@autogen-ts/core";
import { NatsAgentRuntime } from "@autogen-ts/ext/runtimes/nats";
import { nkeys } from "@nats-io/transport-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rejection } from "../../../../core/test/support/rejection.js";
import { requireService } from "../../../../core/test/support/services.js";
import {
  canRunServers,
  freePort,
  makeCertificates,
  NATS_SERVER,
  type PrivateServer,
  removeDir,
  startServer,
  tempDir,
} from "./nats-server.js";
import { capturingLogger, cleanUp, NATS, Note, newPrefix, runtime, until } from "./support.js";

const available = requireService(
  "nats-server and openssl",
  await canRunServers(),
  `${NATS_SERVER}, /usr/bin/openssl`,
);

afterEach(cleanUp);

/** A worker and a caller on `servers` with `login`, and one round trip between them. */
async function roundTrip(servers: string, login: Record<string, unknown>): Promise<unknown> {
  const prefix = newPrefix();
  const worker = await runtime(prefix, { servers, events: "plain", startupRetry: false, ...login });
  await ClosureAgent.registerClosure(worker, "echo", async (_a, m) => m);
  await worker.start();
  const caller = await runtime(prefix, { servers, events: "plain", startupRetry: false, ...login });
  return caller.sendMessage({ ping: 1 }, { type: "echo", key: "k" });
}

describe.skipIf(!available)("NatsAgentRuntime operations", () => {
  const dir = tempDir();
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  let tls: PrivateServer;
  let users: PrivateServer;
  let caFile: string;

  beforeAll(async () => {
    const certs = makeCertificates(dir);
    caFile = certs.caFile;
    tls = await startServer(
      `tls { cert_file: "${certs.certFile}", key_file: "${certs.keyFile}" }\nauthorization { token: "t0ken-s3cret" }`,
      { dir },
    );
    users = await startServer(
      `authorization { users: [ { user: "agent", password: "pa55-s3cret" }, { nkey: "${user.getPublicKey()}" } ] }`,
      { dir },
    );
  });

  afterAll(async () => {
    await Promise.allSettled([tls?.stop(), users?.stop()]);
    removeDir(dir);
  });

  it("connects over TLS with a token, and refuses a wrong token or no TLS without leaking the token", async () => {
    const url = `nats://127.0.0.1:${tls.port}`;
    expect(await roundTrip(url, { tls: { caFile }, token: "t0ken-s3cret" })).toEqual({ ping: 1 });
    const wrong = await rejection(
      NatsAgentRuntime.connect({ servers: url, tls: { caFile }, token: "wrong-s3cret", startupRetry: false }),
    );
    expect(DeliveryError.isInstance(wrong) && wrong.code).toBe("not_running");
    expect(wrong.message).not.toContain("s3cret");
    // An unknown CA: the server's certificate is not trusted.
    const untrusted = await rejection(
      NatsAgentRuntime.connect({ servers: url, tls: true, token: "t0ken-s3cret", startupRetry: false }),
    );
    expect(untrusted.code).toBe("not_running");
  });

  it("logs in with a user and password, and with an NKey", async () => {
    const url = `nats://127.0.0.1:${users.port}`;
    expect(await roundTrip(url, { user: "agent", pass: "pa55-s3cret" })).toEqual({ ping: 1 });
    expect(await roundTrip(url, { nkeySeed: seed })).toEqual({ ping: 1 });
    const refused = await rejection(
      NatsAgentRuntime.connect({ servers: url, user: "agent", pass: "nope-s3cret", startupRetry: false }),
    );
    expect(refused.code).toBe("not_running");
    expect(refused.message).not.toContain("s3cret");
    const other = nkeys.createUser();
    const stranger = await rejection(
      NatsAgentRuntime.connect({
        servers: url,
        nkeySeed: new TextDecoder().decode(other.getSeed()),
        startupRetry: false,
      }),
    );
    expect(stranger.code).toBe("not_running");
  });

  it("retries with backoff while NATS is down at startup, says so, and connects once it is up", async () => {
    const port = await freePort();
    const logger = capturingLogger();
    const connecting = NatsAgentRuntime.connect({
      servers: `nats://127.0.0.1:${port}`,
      logger,
      events: "plain",
      startupRetry: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    await until(() => logger.lines.filter((l) => l.includes("is not reachable")).length >= 2);
    expect(logger.lines[0]).toMatch(
      /NATS at nats:\/\/127\.0\.0\.1:\d+ is not reachable \(attempt 1 of 30\).*retrying in 50 ms/,
    );
    const late = await startServer("", { dir, port });
    try {
      const rt = await connecting;
      expect(rt.connection.isClosed()).toBe(false);
      await rt.close();
    } finally {
      await late.stop();
    }
    const gaveUp = await rejection(
      NatsAgentRuntime.connect({
        servers: `nats://127.0.0.1:${port}`,
        logger: capturingLogger(),
        startupRetry: { maxAttempts: 2, initialDelayMs: 10 },
      }),
    );
    expect(gaveUp.code).toBe("not_running");
    expect(gaveUp.message).toMatch(/2 attempts/);
  });
});

describe("NatsAgentRuntime drain and interventions", () => {
  it.skipIf(!available)(
    "drain() lets running handlers finish and reply before the worker leaves",
    async () => {
      const prefix = newPrefix();
      const worker = await runtime(prefix, { servers: NATS });
      const releases: (() => void)[] = [];
      await ClosureAgent.registerClosure(worker, "slow", async () => {
        await new Promise<void>((r) => releases.push(r));
        return "finished";
      });
      await worker.start();
      const caller = await runtime(prefix, { servers: NATS });
      const reply = caller.sendMessage({}, { type: "slow", key: "a" });
      await until(() => releases.length === 1);
      let drained = false;
      const draining = worker.drain().then(() => {
        drained = true;
      });
      await until(() => worker.status === "stopped");
      await new Promise((r) => setTimeout(r, 100));
      expect(drained).toBe(false);
      expect(worker.activeHandlers).toBe(1);
      releases[0]?.();
      expect(await reply).toBe("finished");
      await draining;
      expect(worker.status).toBe("closed");
      // Gone from the network: the type has no worker now.
      const gone = await rejection(caller.sendMessage({}, { type: "slow", key: "b" }));
      expect(gone.code).toBe("undeliverable");
    },
  );

  it.skipIf(!available)("runs intervention hooks on the receiving side: rewrite, drop, replies", async () => {
    const prefix = newPrefix();
    const seen: string[] = [];
    const hooks: InterventionHandler = {
      onSend: (message) =>
        (message as { drop?: boolean }).drop ? DropMessage : { ...(message as object), checked: true },
      onResponse: (reply) => ({ reply, stamped: "worker" }),
      onPublish: (message) => ((message as Note).text === "spam" ? DropMessage : message),
    };
    const worker = await runtime(prefix, { servers: NATS, interventionHandlers: [hooks] });
    await ClosureAgent.registerClosure(worker, "guarded", async (_a, m) => m);
    await ClosureAgent.registerClosure(
      worker,
      "inbox",
      async (_a, m) => {
        seen.push((m as Note).text);
      },
      { subscriptions: [new TypeSubscription({ topicType: "mail", agentType: "inbox" })] },
    );
    await worker.start();
    const caller = await runtime(prefix, { servers: NATS });
    expect(await caller.sendMessage({ n: 1 }, { type: "guarded", key: "a" })).toEqual({
      reply: { n: 1, checked: true },
      stamped: "worker",
    });
    const dropped = await rejection(caller.sendMessage({ drop: true }, { type: "guarded", key: "a" }));
    expect(dropped.code).toBe("message_dropped");
    for (const text of ["spam", "ham"])
      await caller.publishMessage(new Note(text), { type: "mail", source: "s" });
    await until(() => seen.length === 1);
    await caller.publishMessage(new Note("more"), { type: "mail", source: "s" });
    await until(() => seen.length === 2);
    expect(seen).toEqual(["ham", "more"]);
  });
});
