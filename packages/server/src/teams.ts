/**
 * The teams a server runs. A client names one; it never sends a definition (AutoGen Studio lets a client
 * send one and so run its code, #7662). Each run gets a fresh instance from `create`, and the thread's
 * saved state is loaded into it.
 */
import type { InputFunc, TaskRunner } from "@autogen-ts/agentchat";
import { ValidationError } from "@autogen-ts/core";

/** What a team factory is given for one run. */
export interface TeamContext {
  /**
   * The input function of the run: hand it to every `UserProxyAgent` of the team, so that a person's
   * answer comes through `POST /runs/{runId}/input` (or the WebSocket) and waits across restarts.
   */
  readonly inputFunc: InputFunc;
}

/** A team (or agent) as the server knows it. */
export interface ServerTeam {
  /** The name clients run it by (`model` in the OpenAI endpoints). */
  readonly name: string;
  /** Shown by `GET /teams`. */
  readonly description?: string;
  /** A fresh instance for one run: it must have `runStream`, and `saveState`/`loadState` to keep threads. */
  create(context: TeamContext): TaskRunner | Promise<TaskRunner>;
}

/** The team instance as the run driver uses it: a runner, maybe with state and a close. */
export interface RunnableTeam extends TaskRunner {
  saveState?(): Promise<unknown>;
  loadState?(state: unknown): Promise<void>;
  close?(): Promise<void>;
}

/** Names (a component's label: "RoundRobin Team") are 1-128 printable characters, not blank. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const NAME = /^(?!\s)[^\u0000-\u001f\u007f]{1,128}$/;

/** Checks the names of a server's teams and indexes them. */
export function indexTeams(teams: readonly ServerTeam[]): ReadonlyMap<string, ServerTeam> {
  const byName = new Map<string, ServerTeam>();
  for (const team of teams) {
    if (!NAME.test(team.name)) {
      throw new ValidationError(`team name ${JSON.stringify(team.name)} must be 1-128 printable characters`, {
        code: "invalid_config",
      });
    }
    if (byName.has(team.name)) {
      throw new ValidationError(`two teams are named ${JSON.stringify(team.name)}`, {
        code: "invalid_config",
      });
    }
    byName.set(team.name, team);
  }
  if (byName.size === 0)
    throw new ValidationError("a server needs at least one team", { code: "invalid_config" });
  return byName;
}
