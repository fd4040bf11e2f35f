/**
 * `TeamTool`: a team used as a tool by an agent, so that a whole group can answer one tool call.
 */
import { ValidationError } from "@autogen-ts/core";
import { TaskRunnerTool } from "../agents/task-runner-tool.js";
import type { Team } from "./team.js";

/** Options of {@link TeamTool}. */
export interface TeamToolOptions {
  /** The team that does the work. */
  readonly team: Team;
  /** The tool's name (default: the team's name). */
  readonly name?: string;
  /** What the team does, for the calling model (default: the team's description). */
  readonly description?: string;
  /** Return only the team's last message (default false: every chat message of the run). */
  readonly returnValueAsLastMessage?: boolean;
}

/**
 * A team as a tool: the model's `task` argument starts a run of the team and the run's messages come
 * back as the result. Each call continues the team's conversation; call `team.reset()` between calls for
 * independent runs.
 *
 * @example
 * ```ts
 * const research = new RoundRobinGroupChat({ name: "research", participants: [searcher, summarizer], maxTurns: 2 });
 * const lead = new AssistantAgent({ name: "lead", modelClient, tools: [new TeamTool({ team: research })] });
 * ```
 */
export class TeamTool extends TaskRunnerTool {
  /** The team. */
  readonly team: Team;

  constructor(options: TeamToolOptions) {
    if (options?.team === undefined) throw new ValidationError("TeamTool needs a 'team'");
    super({
      runner: options.team,
      name: options.name ?? options.team.name,
      description: options.description ?? options.team.description,
      ...(options.returnValueAsLastMessage === undefined
        ? {}
        : { returnValueAsLastMessage: options.returnValueAsLastMessage }),
    });
    this.team = options.team;
  }
}
