import { CheckpointError, InMemoryRunStore, StoreError } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  CHECKPOINT_FORMAT_VERSION,
  DurableRunner,
  type DurableRunResult,
  definitionHash,
  describeDefinition,
  RoundRobinGroupChat,
  UserProxyAgent,
} from "../../src/index.js";
import { ConversationModel, counters, humanTeam, toolTeam, transcript } from "./fixtures.js";

const TASK = "count things";

async function reference() {
  const counts = counters();
  const store = new InMemoryRunStore();
  const result = await new DurableRunner({ store, runner: toolTeam(counts) }).run({ task: TASK }).result();
  return { counts, result, lines: transcript(result.messages) };
}

/** Runs until the tool's `crashAt`-th execution, where the "process" dies (its run is cancelled mid-call). */
async function crashInTool(store: InMemoryRunStore, crashAt: number, idempotent = true) {
  const counts = counters();
  const controller = new AbortController();
  counts.onTool = async (index) => {
    if (index < crashAt) return;
    if (index === crashAt) {
      // Let calls already running finish (and be recorded), then the process dies mid-call.
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
    }
    await new Promise(() => {}); // never finishes: the process is gone
  };
  const run = new DurableRunner({ store, runner: toolTeam(counts, { idempotent }) }).run({
    task: TASK,
    signal: controller.signal,
  });
  const seen: string[] = [];
  await expect(
    (async () => {
      for await (const item of run) if ("type" in item) seen.push((item as { type: string }).type);
    })(),
  ).rejects.toThrow();
  return { counts, runId: run.runId, seen };
}

describe("DurableRunner", () => {
  it("commits every message, a checkpoint per turn, and completes", async () => {
    const store = new InMemoryRunStore();
    const counts = counters();
    const durable = new DurableRunner({ store, runner: toolTeam(counts) });
    const run = durable.run({ task: TASK, owner: "alice", options: { flag: true } });
    const result = await run.result();
    expect(result.status).toBe("completed");
    const stored = await store.getRun(run.runId);
    expect(stored?.status).toBe("completed");
    expect(stored?.owner).toBe("alice");
    expect(stored?.options).toEqual({ flag: true });
    expect(stored?.stopReason).toBe("Maximum number of turns 4 reached.");
    const events = await store.readEvents(run.runId);
    expect(events.map((e) => e.type)).toEqual(result.messages.map((m) => m.type));
    const checkpoints = (await store.listCheckpoints(result.threadId, { runId: run.runId, limit: 100 }))
      .items;
    // start, one after each of the four turns, end
    expect(checkpoints.map((c) => (c.state as { phase: string }).phase).reverse()).toEqual([
      "start",
      "turn",
      "turn",
      "turn",
      "turn",
      "end",
    ]);
    // Lineage: each checkpoint's parent is the one before it; the thread's head is the last.
    const ordered = [...checkpoints].reverse();
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]?.parentId).toBe(ordered[i - 1]?.id);
    expect((await store.getThread(result.threadId))?.head).toBe(ordered.at(-1)?.id);
    expect(ordered.every((c) => c.definitionHash === durable.definition.hash && c.formatVersion === 1)).toBe(
      true,
    );
  });

  it("resumes a run that died inside a tool: same transcript, completed calls not repeated", async () => {
    const ref = await reference();
    const store = new InMemoryRunStore();
    const crashed = await crashInTool(store, 2);
    expect((await store.getRun(crashed.runId))?.status).toBe("cancelled");
    // A fresh "process": a new team, a new runner, only the store and the run id.
    const counts = counters();
    const result = await new DurableRunner({ store, runner: toolTeam(counts) })
      .resume(crashed.runId)
      .result();
    expect(result.status).toBe("completed");
    expect(transcript(result.messages)).toEqual(ref.lines);
    expect(transcript(await storedMessages(store, crashed.runId))).toEqual(ref.lines);
    // Every completed call ran exactly once over both processes; the interrupted one ran again once.
    const finished = mergeCounts(crashed.counts.finished, counts.finished);
    expect([...finished.values()].every((n) => n === 1)).toBe(true);
    expect(finished.size).toBe(ref.counts.finished.size);
    // The calls the first process was inside when it died ran again (at-least-once), and only those.
    const interrupted = [...crashed.counts.started.keys()].filter((id) => !crashed.counts.finished.has(id));
    expect(interrupted.length).toBeGreaterThan(0);
    const started = mergeCounts(crashed.counts.started, counts.started);
    for (const [id, n] of started) expect([id, n]).toEqual([id, interrupted.includes(id) ? 2 : 1]);
    // No model call of the first process was made again.
    expect(crashed.counts.model + counts.model).toBe(ref.counts.model);
  });

  it("does not run an interrupted non-idempotent call again: the model reads an error result", async () => {
    const store = new InMemoryRunStore();
    const crashed = await crashInTool(store, 2, false);
    const counts = counters();
    const result = await new DurableRunner({ store, runner: toolTeam(counts, { idempotent: false }) })
      .resume(crashed.runId)
      .result();
    expect(result.status).toBe("completed");
    const started = mergeCounts(crashed.counts.started, counts.started);
    expect([...started.values()].every((n) => n === 1)).toBe(true);
    const executions = result.messages.filter((m) => m.type === "ToolCallExecutionEvent");
    const texts = JSON.stringify(executions.map((m) => m.toJSON()));
    expect(texts).toContain("was interrupted (the process running it stopped) and was not run again");
  });

  it("refuses to resume into a changed definition, saying what changed, unless a migration upgrades", async () => {
    const store = new InMemoryRunStore();
    const crashed = await crashInTool(store, 3);
    const changed = toolTeam(counters(), { extra: true });
    const error = await new DurableRunner({ store, runner: changed })
      .resume(crashed.runId)
      .result()
      .catch((e: unknown) => e);
    expect(CheckpointError.isInstance(error) && error.code).toBe("definition_changed");
    expect((error as Error).message).toContain("participant 'c' was added to 'RoundRobinGroupChat'");
    const from = definitionHash(describeDefinition(toolTeam(counters())));
    const migrated = await new DurableRunner({
      store,
      runner: toolTeam(counters(), { extra: true }),
      migrations: [
        {
          from,
          migrate: (state) => state, // the new participant starts fresh
        },
      ],
    })
      .resume(crashed.runId)
      .result();
    expect(migrated.status).toBe("completed");
  });

  it("refuses a checkpoint from a newer format and a corrupt checkpoint, with typed errors", async () => {
    for (const [bad, code] of [
      [{ formatVersion: CHECKPOINT_FORMAT_VERSION + 1, state: {} }, "checkpoint_format"],
      [{ formatVersion: 1, state: { not: "a checkpoint" } }, "checkpoint_corrupt"],
    ] as const) {
      const store = new InMemoryRunStore();
      const crashed = await crashInTool(store, 3);
      const run = await store.getRun(crashed.runId);
      await store.write([
        {
          kind: "putCheckpoint",
          id: `bad-${code}`,
          threadId: run?.threadId as string,
          runId: crashed.runId,
          formatVersion: bad.formatVersion,
          definitionHash: "x",
          seq: run?.lastSeq ?? 0,
          state: bad.state,
        },
      ]);
      const error = await new DurableRunner({ store, runner: toolTeam(counters()) })
        .resume(crashed.runId)
        .result()
        .catch((e: unknown) => e);
      expect(CheckpointError.isInstance(error) && error.code).toBe(code);
      // The messages reported before are all still there.
      expect((await store.readEvents(crashed.runId)).map((e) => e.type)).toEqual(crashed.seen);
    }
  });

  it("refuses a second process resuming a run that is running", async () => {
    const store = new InMemoryRunStore();
    const counts = counters();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => {};
    const inTool = new Promise<void>((resolve) => {
      reached = resolve;
    });
    counts.onTool = async (index) => {
      if (index === 0) {
        reached();
        await held;
      }
    };
    const first = new DurableRunner({ store, runner: toolTeam(counts) }).run({ task: TASK });
    const done = first.result();
    await inTool;
    const error = await new DurableRunner({ store, runner: toolTeam(counters()) })
      .resume(first.runId)
      .result()
      .catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("run_busy");
    release();
    expect((await done).status).toBe("completed");
  });

  it("parks a person's input: the run is interrupted, and another process answers and finishes it", async () => {
    const store = new InMemoryRunStore();
    const first = new DurableRunner({ store, runner: humanTeam(counters()) }).run({ task: "ask me" });
    const parked = await first.result();
    expect(parked.status).toBe("interrupted");
    expect(parked.pendingInput).toHaveLength(1);
    const request = parked.pendingInput[0] as DurableRunResult["pendingInput"][number];
    expect(request.prompt).toContain("Enter your response");
    expect((await store.getRun(first.runId))?.status).toBe("interrupted");
    const requested = parked.messages.find((m) => m.type === "UserInputRequestedEvent");
    expect((requested?.toJSON() as { requestId?: string } | undefined)?.requestId).toBe(request.requestId);

    const second = await new DurableRunner({ store, runner: humanTeam(counters()) })
      .resume(first.runId, { input: { requestId: request.requestId, value: "yes please" } })
      .result();
    expect(second.status).toBe("completed");
    const lines = transcript(second.messages);
    expect(lines).toContain('TextMessage|user|"yes please"');
    expect(lines.filter((l) => l.startsWith("UserInputRequestedEvent"))).toHaveLength(1);
    // Answered once: a second answer is refused, and the run does not ask again.
    await expect(
      store.write([{ kind: "answerInput", runId: first.runId, requestId: request.requestId, value: "no" }]),
    ).rejects.toThrow(/already answered/);
    await expect(
      new DurableRunner({ store, runner: humanTeam(counters()) }).resume(first.runId).result(),
    ).rejects.toThrow(/has completed/);
  });

  it("resumes a nested team at the inner request", async () => {
    const build = () => {
      const counts = counters();
      const inner = new RoundRobinGroupChat({
        name: "inner",
        participants: [
          new AssistantAgent({ name: "helper", modelClient: new ConversationModel("helper", counts, false) }),
          new UserProxyAgent({
            name: "user",
            inputFunc: () => {
              throw new Error("must not be asked");
            },
          }),
        ],
        maxTurns: 2,
      });
      const outer = new AssistantAgent({
        name: "lead",
        modelClient: new ConversationModel("lead", counts, false),
      });
      return { counts, team: new RoundRobinGroupChat({ participants: [outer, inner], maxTurns: 3 }) };
    };
    const store = new InMemoryRunStore();
    const one = build();
    const first = new DurableRunner({ store, runner: one.team }).run({ task: "go" });
    const parked = await first.result();
    expect(parked.status).toBe("interrupted");
    const two = build();
    const done = await new DurableRunner({ store, runner: two.team })
      .resume(first.runId, { input: { value: "inner answer" } })
      .result();
    expect(done.status).toBe("completed");
    const lines = transcript(done.messages);
    expect(lines).toContain('TextMessage|user|"inner answer"');
    // The turns before the request were not asked of the models again.
    expect(two.counts.model).toBeLessThan(one.counts.model + two.counts.model);
    expect(lines.filter((l) => l.startsWith("TextMessage|lead"))).toHaveLength(2);
  });

  it("runs a single agent durably and resumes it after a crash inside its tool", async () => {
    const build = (counts: ReturnType<typeof counters>) =>
      new AssistantAgent({
        name: "solo",
        modelClient: new ConversationModel("solo", counts, true),
        tools: [(toolTeam(counts).participants[0] as AssistantAgent).options.tools?.[0] as never],
        reflectOnToolUse: true,
      });
    const store = new InMemoryRunStore();
    const counts = counters();
    const controller = new AbortController();
    counts.onTool = async (index) => {
      if (index === 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.abort();
        await new Promise(() => {});
      }
    };
    const run = new DurableRunner({ store, runner: build(counts) }).run({
      task: TASK,
      signal: controller.signal,
    });
    await expect(run.result()).rejects.toThrow();
    const again = counters();
    const result = await new DurableRunner({ store, runner: build(again) }).resume(run.runId).result();
    expect(result.status).toBe("completed");
    expect(transcript(result.messages).at(-1)).toBe('TextMessage|solo|"solo says 1"');
    expect(counts.model + again.model).toBe(2);
    expect(mergeCounts(counts.finished, again.finished).get("solo-0-a")).toBe(1);
  });

  it("starts a run on a thread from a checkpoint that borrows the head's state; resume and fork read it", async () => {
    const store = new InMemoryRunStore();
    const first = await new DurableRunner({ store, runner: toolTeam(counters()) })
      .run({ task: TASK })
      .result();
    const head = (await store.getThread(first.threadId))?.head as string;
    // The uninterrupted continuation, on a copy of the thread, for reference.
    const forked = await new DurableRunner({ store, runner: toolTeam(counters()) }).fork(head);
    const reference = await new DurableRunner({ store, runner: toolTeam(counters()) })
      .run({ threadId: forked.threadId, task: "more" })
      .result();
    // The continuation, cancelled after its first message and resumed by a fresh team.
    const controller = new AbortController();
    const second = new DurableRunner({ store, runner: toolTeam(counters()) }).run({
      threadId: first.threadId,
      task: "more",
      signal: controller.signal,
    });
    await expect(
      (async () => {
        for await (const _ of second) controller.abort();
      })(),
    ).rejects.toThrow();
    const start = (await store.listCheckpoints(first.threadId, { runId: second.runId })).items.at(-1);
    expect(start?.formatVersion).toBe(2);
    expect(start?.parentId).toBe(head);
    expect((start?.state as { stateOf?: string } | undefined)?.stateOf).toBe(head);
    const resumed = await new DurableRunner({ store, runner: toolTeam(counters()) })
      .resume(second.runId)
      .result();
    expect(resumed.status).toBe("completed");
    expect(transcript(resumed.messages)).toEqual(transcript(reference.messages));
    // A fork of the borrowing start copies the state it borrows: the new thread stands on its own.
    const fork = await new DurableRunner({ store, runner: toolTeam(counters()) }).fork(start?.id as string);
    const copy = await store.getCheckpoint(fork.checkpointId);
    expect(copy?.formatVersion).toBe(1);
    expect(copy?.parentId).toBe(start?.id);
    expect((copy?.state as { state?: unknown } | undefined)?.state).toEqual(
      ((await store.getCheckpoint(head))?.state as { state?: unknown } | undefined)?.state,
    );
  });

  it("continues a thread whose head borrows its state (a run that stopped at its start)", async () => {
    const store = new InMemoryRunStore();
    const first = await new DurableRunner({ store, runner: toolTeam(counters()) })
      .run({ task: TASK })
      .result();
    const full = (await store.getThread(first.threadId))?.head as string;
    const controller = new AbortController();
    const stopped = new DurableRunner({ store, runner: toolTeam(counters()) }).run({
      threadId: first.threadId,
      task: "more",
      signal: controller.signal,
    });
    await expect(
      (async () => {
        for await (const _ of stopped) controller.abort();
      })(),
    ).rejects.toThrow();
    const borrowed = (await store.getThread(first.threadId))?.head as string;
    expect((await store.getCheckpoint(borrowed))?.formatVersion).toBe(2);
    const next = new DurableRunner({ store, runner: toolTeam(counters()) }).run({
      threadId: first.threadId,
      task: "more",
    });
    expect((await next.result()).status).toBe("completed");
    const start = (await store.listCheckpoints(first.threadId, { runId: next.runId })).items.at(-1);
    expect(start?.parentId).toBe(borrowed);
    expect((start?.state as { stateOf?: string } | undefined)?.stateOf).toBe(full);
  });

  it("forks a thread from any checkpoint; a run on the fork continues from that history", async () => {
    const store = new InMemoryRunStore();
    const durable = new DurableRunner({ store, runner: toolTeam(counters(), { maxTurns: 2 }) });
    const first = await durable.run({ task: TASK }).result();
    const checkpoints = (await store.listCheckpoints(first.threadId)).items;
    const turn = checkpoints.find((c) => (c.state as { phase: string }).phase === "turn");
    const fork = await durable.fork(turn?.id as string);
    expect(fork.threadId).not.toBe(first.threadId);
    const forkHead = await store.getCheckpoint(fork.checkpointId);
    expect(forkHead?.parentId).toBe(turn?.id);
    const fresh = new DurableRunner({ store, runner: toolTeam(counters(), { maxTurns: 2 }) });
    const second = await fresh.run({ threadId: fork.threadId, task: "again" }).result();
    expect(second.status).toBe("completed");
    const state = (await store.getCheckpoint((await store.getThread(fork.threadId))?.head as string))
      ?.state as {
      state: { manager: { messageThread: unknown[] } };
    };
    // The fork's history (the task and a's first turn) plus this run's task and two turns.
    expect(state.state.manager.messageThread.length).toBeGreaterThan(4);
  });
});

function mergeCounts(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

async function storedMessages(store: InMemoryRunStore, runId: string) {
  const events = await store.readEvents(runId);
  return events.map((e) => ({
    type: e.type,
    source: (e.data as { source: string }).source,
    toJSON: () => e.data,
  }));
}
