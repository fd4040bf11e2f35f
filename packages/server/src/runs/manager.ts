/**
 * `RunManager`: threads and runs on a {@link RunStore}, for the routes. It owns what only one process may
 * do at a time (the run a thread is executing, its queue, the answers a run waits for) and checks every
 * access against the authorize hook: what a principal may not see does not exist for it (404).
 */
import type { JsonObject, JsonValue, RunRecord, RunStore, StoreWrite, ThreadRecord } from "@autogen-ts/core";
import type { Action, AuthorizeHook, Principal } from "../auth.js";
import { notFound, ServerError } from "../errors.js";
import { RunFeed } from "../feed.js";
import type { ServerTeam } from "../teams.js";
import { type DriveOptions, drive, type RunTask } from "./driver.js";
import { LiveRun } from "./live-run.js";
import { QUEUED_OPTION, stopNoticeOf } from "./views.js";

export type { RunTask } from "./driver.js";

/** What a new run asks for. */
export interface StartRun {
  readonly team: string;
  /** Text, or several messages (the OpenAI endpoints pass a conversation). */
  readonly task?: RunTask | undefined;
  readonly ifBusy?: "reject" | "enqueue" | "interrupt";
  /** The new run's id (the WebSocket lets a client choose one, as Studio does); default a new UUID. */
  readonly runId?: string;
}

/** Options of {@link RunManager}. */
export interface RunManagerOptions {
  readonly store: RunStore;
  readonly teams: ReadonlyMap<string, ServerTeam>;
  readonly authorize: AuthorizeHook;
  /** Reports unexpected failures (the server's log). */
  readonly onError?: (error: unknown) => void;
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

/** Threads and runs, checked against the principal. */
export class RunManager {
  readonly store: RunStore;
  readonly teams: ReadonlyMap<string, ServerTeam>;
  readonly #authorize: AuthorizeHook;
  readonly #onError: (error: unknown) => void;
  readonly #live = new Map<string, LiveRun>();
  /** The run each busy thread executes, and the runs queued behind it. */
  readonly #threads = new Map<string, { active: string | undefined; queue: string[] }>();
  readonly #feeds = new Map<string, RunFeed>();
  /** Queued runs (kept in this process only: a queue does not survive a restart). */
  readonly #pending = new Map<string, { run: RunRecord; team: ServerTeam; task: RunTask | undefined }>();
  readonly #holder = `server-${crypto.randomUUID()}`;
  #accepting = true;

  constructor(options: RunManagerOptions) {
    this.store = options.store;
    this.teams = options.teams;
    this.#authorize = options.authorize;
    this.#onError = options.onError ?? (() => {});
  }

  /** Whether new runs are taken (false once shutdown began). */
  get accepting(): boolean {
    return this.#accepting;
  }

  /** Runs executing in this process. */
  get liveRuns(): number {
    return this.#live.size;
  }

  // ---- threads -------------------------------------------------------------------------------------

  /** Creates a thread owned by `principal`. */
  async createThread(principal: Principal, metadata: JsonObject = {}): Promise<ThreadRecord> {
    await this.#require(principal, { kind: "thread", id: "", owner: undefined }, "create");
    const id = crypto.randomUUID();
    await this.store.write([{ kind: "createThread", id, owner: principal.id, metadata }]);
    const thread = await this.store.getThread(id);
    if (thread === undefined) throw notFound("thread", id);
    return thread;
  }

  /** A thread the principal may act on, else 404. */
  async thread(principal: Principal, threadId: string, action: Action = "read"): Promise<ThreadRecord> {
    const thread = await this.store.getThread(threadId);
    if (
      thread === undefined ||
      !(await this.#allowed(principal, thread.id, thread.owner, "thread", action))
    ) {
      throw notFound("thread", threadId);
    }
    return thread;
  }

  /** Where a thread is: running a run, waiting for input, or idle. */
  async threadStatus(threadId: string): Promise<"idle" | "busy" | "interrupted"> {
    if (this.#threads.get(threadId)?.active !== undefined) return "busy";
    const parked = await this.store.listRuns({ threadId, status: ["interrupted", "running"], limit: 1 });
    return parked.items.length > 0 ? "interrupted" : "idle";
  }

  /** Deletes a thread with everything under it; its runs here are cancelled first. */
  async deleteThread(principal: Principal, threadId: string): Promise<void> {
    await this.thread(principal, threadId, "delete");
    const state = this.#threads.get(threadId);
    for (const runId of [...(state?.queue ?? []), ...(state?.active ? [state.active] : [])]) {
      this.#live.get(runId)?.abort({ kind: "cancel", reason: "the thread was deleted" });
    }
    if (state) state.queue.length = 0;
    await Promise.all([...this.#live.values()].filter((r) => r.threadId === threadId).map((r) => r.done));
    await this.store.deleteThread(threadId);
    this.#threads.delete(threadId);
  }

  // ---- runs ----------------------------------------------------------------------------------------

  /** A run the principal may act on, else 404. */
  async run(principal: Principal, runId: string, action: Action = "read"): Promise<RunRecord> {
    const run = this.#pending.get(runId)?.run ?? (await this.store.getRun(runId));
    if (run === undefined || !(await this.#allowed(principal, run.id, run.owner, "run", action))) {
      throw notFound("run", runId);
    }
    return run;
  }

  /** Starts (or queues) a run of a named team on a thread. */
  async startRun(principal: Principal, threadId: string, request: StartRun): Promise<RunRecord> {
    const thread = await this.thread(principal, threadId, "run");
    const team = this.teams.get(request.team);
    if (team === undefined || !(await this.#allowed(principal, request.team, undefined, "team", "run"))) {
      throw new ServerError(
        404,
        "unknown_team",
        `This server runs no team named ${JSON.stringify(request.team)}`,
      );
    }
    if (!this.#accepting) throw new ServerError(503, "not_running", "The server is shutting down");
    const state = this.#threadState(thread.id);
    const busy = state.active !== undefined || (await this.threadStatus(thread.id)) !== "idle";
    const policy = request.ifBusy ?? "reject";
    if (busy && policy === "reject") {
      throw new ServerError(
        409,
        "thread_busy",
        `Thread ${thread.id} has an active run; pass ifBusy to queue or interrupt`,
      );
    }
    const runId = request.runId ?? crypto.randomUUID();
    if (this.#pending.has(runId) || this.#live.has(runId) || (await this.store.getRun(runId)) !== undefined) {
      throw new ServerError(409, "store_conflict", `Run ${runId} exists already`);
    }
    if (busy && policy === "enqueue") {
      const now = new Date().toISOString();
      const run: RunRecord = {
        id: runId,
        threadId: thread.id,
        owner: principal.id,
        status: "interrupted",
        task: (request.task ?? undefined) as JsonValue | undefined,
        stopReason: undefined,
        error: undefined,
        options: { team: team.name, [QUEUED_OPTION]: true },
        definitionHash: undefined,
        lease: undefined,
        lastSeq: 0,
        createdAt: now,
        updatedAt: now,
        endedAt: undefined,
      };
      this.#pending.set(runId, { run, team, task: request.task });
      state.queue.push(runId);
      return run;
    }
    if (busy) await this.#interruptThread(thread.id, runId);
    const live = this.#launch(runId, thread.id, team, 0, {
      start: { task: request.task, owner: principal.id },
    });
    await live.whenStarted;
    const run = await this.store.getRun(runId);
    if (run === undefined) throw new ServerError(500, "internal", `Run ${runId} could not start`);
    return run;
  }

  /** Cancels a run: aborts it here, or records a queued or parked one as cancelled. */
  async cancel(principal: Principal, runId: string, reason = "cancelled by the client"): Promise<RunRecord> {
    const run = await this.run(principal, runId, "cancel");
    if (ENDED.has(run.status)) {
      throw new ServerError(
        409,
        "invalid_state",
        `Run ${runId} has already ${run.status === "cancelled" ? "been cancelled" : run.status}`,
      );
    }
    const live = this.#live.get(runId);
    if (live !== undefined) {
      live.abort({ kind: "cancel", reason });
      await live.done;
    } else if (this.#pending.delete(runId)) {
      const state = this.#threads.get(run.threadId);
      if (state) state.queue = state.queue.filter((id) => id !== runId);
      return { ...run, status: "cancelled", stopReason: reason, options: { team: String(run.options.team) } };
    } else {
      const feed = await this.feed(run);
      const end: StoreWrite = {
        kind: "updateRun",
        id: runId,
        status: "cancelled",
        stopReason: reason,
        ended: true,
      };
      await this.store.write([end]);
      feed.stop({ status: "cancelled", stopReason: reason });
      feed.end();
    }
    return (await this.store.getRun(runId)) ?? run;
  }

  /** Answers a run's input request; 404 for an unknown request, 409 for one already answered. */
  async answer(principal: Principal, runId: string, requestId: string, value: JsonValue): Promise<RunRecord> {
    const run = await this.run(principal, runId, "input");
    const requests = await this.store.listInputRequests(runId);
    const request = requests.find((r) => r.requestId === requestId);
    if (request === undefined) throw notFound("input request", requestId);
    if (request.answer !== undefined) {
      throw new ServerError(409, "already_answered", `Input request ${requestId} was already answered`);
    }
    if (this.#live.has(runId)) throw new ServerError(409, "invalid_state", `Run ${runId} is running`);
    const team = this.teams.get(String(run.options.team ?? ""));
    if (team === undefined) {
      throw new ServerError(
        409,
        "unknown_team",
        `Run ${runId} was started with a team this server does not run`,
      );
    }
    const live = this.#launch(runId, run.threadId, team, run.lastSeq, { input: { requestId, value } });
    await live.whenStarted;
    return (await this.store.getRun(runId)) ?? run;
  }

  /** The feed of a run (created on first use; a run not live here reads its record). */
  async feed(run: RunRecord): Promise<RunFeed> {
    const known = this.#feeds.get(run.id) ?? this.#live.get(run.id)?.feed;
    if (known !== undefined) return known;
    const pending =
      run.status === "interrupted" ? await this.store.listInputRequests(run.id, { pending: true }) : [];
    // Another reader may have made it meanwhile.
    const made = this.#feeds.get(run.id) ?? this.#live.get(run.id)?.feed;
    if (made !== undefined) return made;
    const feed = new RunFeed({
      runId: run.id,
      store: this.store,
      lastSeq: run.lastSeq,
      ended: !this.#willContinue(run),
      stop: stopNoticeOf(run, pending),
    });
    this.#feeds.set(run.id, feed);
    // Readers of a finished run need no shared feed once they are gone: keep the map small.
    if (feed.ended) queueMicrotask(() => this.#feeds.delete(run.id));
    return feed;
  }

  /** Resolves once the run stops running here (ended, or waiting for input). */
  async settled(runId: string): Promise<void> {
    const live = this.#live.get(runId);
    if (live === undefined) return;
    await live.done;
  }

  /** Stops taking runs, interrupts the live ones (recorded as `interrupted`) and waits for them. */
  async shutdown(): Promise<void> {
    this.#accepting = false;
    const live = [...this.#live.values()];
    for (const run of live) run.abort({ kind: "shutdown" });
    await Promise.all(live.map((run) => run.done));
  }

  /**
   * Picks up what an earlier process left: a run still marked `running` (the process died) becomes
   * `interrupted`; queued runs go back in their threads' queues and start when the thread is free.
   */
  async recover(options: { resume?: boolean } = {}): Promise<{ interrupted: number; resumed: number }> {
    let interrupted = 0;
    let resumed = 0;
    const toResume: RunRecord[] = [];
    for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
      const page = await this.store.listRuns({
        status: ["running", "interrupted"],
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      // Oldest first, so queues keep their order.
      for (const run of [...page.items].reverse()) {
        if (this.#live.has(run.id)) continue;
        if (run.status === "running") {
          await this.store.write([
            {
              kind: "updateRun",
              id: run.id,
              status: "interrupted",
              stopReason: "the server stopped",
              lease: null,
            },
          ]);
          interrupted++;
          toResume.push(run);
        } else if (run.stopReason === "the server stopped") {
          toResume.push(run);
        }
      }
      cursor = page.nextCursor;
    }
    // Runs waiting for a person wait on; runs the server stopped go on when the policy says so.
    for (const run of options.resume ? toResume : []) {
      const team = this.teams.get(String(run.options.team ?? ""));
      if (team === undefined || this.#threads.get(run.threadId)?.active !== undefined) continue;
      if ((await this.store.listInputRequests(run.id, { pending: true })).length > 0) continue;
      this.#launch(run.id, run.threadId, team, run.lastSeq, {});
      resumed++;
    }
    return { interrupted, resumed };
  }

  // ---- internals -----------------------------------------------------------------------------------

  #launch(
    runId: string,
    threadId: string,
    team: ServerTeam,
    lastSeq: number,
    how: Pick<DriveOptions, "start" | "input">,
  ): LiveRun {
    const existing = this.#feeds.get(runId);
    const feed = existing ?? new RunFeed({ runId, store: this.store, lastSeq, ended: false });
    feed.resume();
    this.#feeds.set(runId, feed);
    const live = new LiveRun({ runId, threadId, lastSeq, feed });
    this.#live.set(runId, live);
    this.#threadState(threadId).active = runId;
    const options: DriveOptions = {
      store: this.store,
      live,
      team,
      holder: this.#holder,
      onError: this.#onError,
      ...how,
    };
    live.done = drive(options).finally(async () => {
      this.#live.delete(runId);
      const run = await this.store.getRun(runId).catch(() => undefined);
      // A run that waits for input (or was stopped with the server) keeps its feed: readers wait on.
      if (run === undefined || ENDED.has(run.status) || !this.#accepting) {
        this.#feeds.delete(runId);
        feed.end();
      }
      const state = this.#threads.get(threadId);
      if (state?.active === runId) state.active = undefined;
      void this.#next(threadId);
    });
    return live;
  }

  /** Starts the next queued run of a thread, if the server still takes runs. */
  async #next(threadId: string): Promise<void> {
    const state = this.#threads.get(threadId);
    if (state === undefined || state.active !== undefined || !this.#accepting) return;
    const runId = state.queue.shift();
    if (runId === undefined) {
      this.#threads.delete(threadId);
      return;
    }
    const pending = this.#pending.get(runId);
    this.#pending.delete(runId);
    if (pending === undefined) return void this.#next(threadId);
    const live = this.#launch(runId, threadId, pending.team, 0, {
      start: { task: pending.task, owner: pending.run.owner ?? "" },
    });
    await live.whenStarted;
  }

  async #interruptThread(threadId: string, by: string): Promise<void> {
    const state = this.#threadState(threadId);
    const active = state.active !== undefined ? this.#live.get(state.active) : undefined;
    if (active !== undefined) {
      active.abort({ kind: "interrupt", by });
      await active.done;
    }
    // A run parked in the store (waiting for input after a restart) is cancelled the same way.
    const parked = await this.store.listRuns({ threadId, status: ["interrupted", "running"] });
    for (const run of parked.items) {
      if (run.id === by || this.#live.has(run.id)) continue;
      await this.store.write([
        {
          kind: "updateRun",
          id: run.id,
          status: "cancelled",
          stopReason: `interrupted by run ${by}`,
          ended: true,
        },
      ]);
    }
  }

  #willContinue(run: RunRecord): boolean {
    return this.#live.has(run.id) || run.status === "running" || run.status === "interrupted";
  }

  #threadState(threadId: string): { active: string | undefined; queue: string[] } {
    let state = this.#threads.get(threadId);
    if (state === undefined) {
      state = { active: undefined, queue: [] };
      this.#threads.set(threadId, state);
    }
    return state;
  }

  async #allowed(
    principal: Principal,
    id: string,
    owner: string | undefined,
    kind: "thread" | "run" | "team",
    action: Action,
  ): Promise<boolean> {
    try {
      return (await this.#authorize(principal, { kind, id, owner }, action)) === true;
    } catch (error) {
      // A failing rule refuses: it never lets a request through.
      this.#onError(error);
      return false;
    }
  }

  async #require(
    principal: Principal,
    resource: { kind: "thread"; id: string; owner: undefined },
    action: Action,
  ) {
    if (!(await this.#allowed(principal, resource.id, resource.owner, resource.kind, action))) {
      throw new ServerError(403, "unauthorized", "Not allowed");
    }
  }
}
