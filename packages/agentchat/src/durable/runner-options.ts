/** The options of `DurableRunner` and of its `run` and `resume`. */

import type { JsonObject, JsonValue, RunStore } from "@autogen-ts/core";
import type { ChatAgent, Task } from "../base/types.js";
import type { MessageRegistry } from "../messages/registry.js";
import type { Team } from "../teams/team.js";
import type { CheckpointMigration } from "./checkpoint.js";

/** Options of `DurableRunner`. */
export interface DurableRunnerOptions {
  /** Where runs are kept. */
  readonly store: RunStore;
  /** What runs: a team or a single agent, built the same way in every process that resumes its runs. */
  readonly runner: Team | ChatAgent;
  /** Upgrades for checkpoints written by an earlier definition. */
  readonly migrations?: readonly CheckpointMigration[];
  /**
   * How long this process's hold on a run lasts without renewal (default 30 s; renewed every third of
   * it). A run whose process died can be resumed elsewhere once its lease has lapsed.
   */
  readonly leaseMs?: number;
  /** This process's id in leases (default a random id). */
  readonly holder?: string;
  /** Reads stored messages back (custom message types included). */
  readonly messageRegistry?: MessageRegistry;
}

/** Options of `DurableRunner.run`. */
export interface DurableRunOptions {
  /** The task; omit to continue the thread from its head. */
  readonly task?: Task;
  /** Continue this thread (from its head checkpoint); default a new thread. */
  readonly threadId?: string;
  /** The run's id (default a random id). */
  readonly runId?: string;
  /** The principal the thread and run belong to. */
  readonly owner?: string;
  /** Settings to keep with the run (a CLI's flags), for whoever resumes it. Never secrets. */
  readonly options?: JsonObject;
  /** Cancels the run (it ends as `cancelled` and can be resumed). */
  readonly signal?: AbortSignal;
  /**
   * True: a person's input is asked right away through the agent's input function (a terminal), and the
   * answer kept. False (default): every request is persisted and the run ends as `interrupted`.
   */
  readonly askInput?: boolean;
}

/** Options of `DurableRunner.resume`. */
export interface DurableResumeOptions {
  /** Answers a pending request (`requestId` may be left out when exactly one is pending). */
  readonly input?: { readonly requestId?: string; readonly value: JsonValue };
  readonly signal?: AbortSignal;
  readonly askInput?: boolean;
}
