/**
 * The messages a group chat's manager and participant containers exchange over the runtime. They are
 * internal to teams; they are classes so that handlers are routed by type and a distributed runtime can
 * register codecs for them.
 */
import type { AgentState, Response, TaskResult } from "../../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../../messages/base.js";
import type { StopMessage } from "../../messages/chat.js";

/** Starts (or continues) a run; sent to the manager, then published to the group so that everyone sees the task. */
export class GroupChatStart {
  constructor(readonly messages: readonly BaseChatMessage[]) {}
}

/** A chat agent's turn is over: its reply and inner messages, published to the group. */
export class GroupChatAgentResponse {
  constructor(
    readonly name: string,
    readonly response: Response,
  ) {}
}

/** A nested team's turn is over: its result, published to the group. */
export class GroupChatTeamResponse {
  constructor(
    readonly name: string,
    readonly result: TaskResult,
  ) {}
}

/** Asks one participant to take its turn. */
export class GroupChatRequestPublish {}

/** A message or event for the run's output stream. */
export class GroupChatMessage {
  constructor(readonly message: BaseAgentMessage) {}
}

/** The run is over: why, or the error that ended it. */
export class GroupChatTermination {
  constructor(
    readonly stop: StopMessage | undefined,
    readonly error?: unknown,
  ) {}
}

/** A snapshot of the team between two turns, for the output stream of a durable run (never yielded). */
export class GroupChatCheckpoint {
  constructor(readonly state: AgentState) {}
}

/** A participant failed during its turn. */
export class GroupChatError {
  constructor(
    readonly name: string,
    readonly error: unknown,
  ) {}
}

/** Resets a participant or the manager. */
export class GroupChatReset {}

/** Pauses a participant or the manager. */
export class GroupChatPause {}

/** Resumes a participant or the manager. */
export class GroupChatResume {}
