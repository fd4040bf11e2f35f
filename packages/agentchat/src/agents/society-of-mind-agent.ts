/**
 * `SocietyOfMindAgent`: a team that answers as one agent. Each turn it runs its inner team on the new
 * messages, streams what the team does as inner events, then has its model turn the team's transcript
 * into one reply. The inner team keeps its conversation from turn to turn.
 */
import type { ChatCompletionClient, LLMMessage } from "@autogen-ts/core";
import { ModelError, ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, Response, TaskResult } from "../base/types.js";
import { drainResponse, isResponse, isTaskResult } from "../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { isChatMessage, isTransient } from "../messages/base.js";
import { TextMessage } from "../messages/chat.js";
import type { Team } from "../teams/team.js";
import { BaseChatAgent } from "./base-chat-agent.js";

/** The default system instruction of a {@link SocietyOfMindAgent}'s summarising model call. */
export const DEFAULT_SOCIETY_INSTRUCTION =
  "You speak for a team of agents. What follows is a request and the team's work on it, message by " +
  "message. Read it as your own thinking.";

/** The default closing prompt of a {@link SocietyOfMindAgent}'s summarising model call. */
export const DEFAULT_SOCIETY_RESPONSE_PROMPT =
  "Now reply to the request in your own voice, using what the team found. Give the answer itself, " +
  "complete and self-contained, without mentioning the team or its discussion.";

/** Options of {@link SocietyOfMindAgent}. */
export interface SocietyOfMindAgentOptions {
  /** The agent's name. */
  readonly name: string;
  /** The inner team that does the work. */
  readonly team: Team;
  /** The model that turns the team's transcript into the reply. */
  readonly modelClient: ChatCompletionClient;
  /** What the agent does, for other agents and selectors. */
  readonly description?: string;
  /** The system message of the summarising call (default {@link DEFAULT_SOCIETY_INSTRUCTION}). */
  readonly instruction?: string;
  /** The prompt after the transcript that asks for the reply (default {@link DEFAULT_SOCIETY_RESPONSE_PROMPT}). */
  readonly responsePrompt?: string;
}

/** The saved form of a {@link SocietyOfMindAgent}: the inner team's state. */
export interface SocietyOfMindAgentState extends AgentState {
  readonly type: "SocietyOfMindAgentState";
  readonly version: 1;
  /** The inner team's own saved document. */
  readonly innerTeamState: AgentState;
}

const STATE_TYPE = "SocietyOfMindAgentState";
const STATE_VERSION = 1;
const PRODUCED: readonly string[] = Object.freeze(["TextMessage"]);

/**
 * An agent whose thinking is a team's conversation.
 *
 * @example
 * ```ts
 * const inner = new RoundRobinGroupChat({
 *   participants: [writer, critic],
 *   terminationCondition: new TextMentionTermination("APPROVE"),
 * });
 * const author = new SocietyOfMindAgent({ name: "author", team: inner, modelClient });
 * const result = await author.run({ task: "Write a short poem about the sea" });
 * ```
 */
export class SocietyOfMindAgent extends BaseChatAgent {
  /** The inner team. */
  readonly team: Team;
  /** The summarising model. */
  readonly modelClient: ChatCompletionClient;
  /** The system message of the summarising call. */
  readonly instruction: string;
  /** The prompt that asks for the reply. */
  readonly responsePrompt: string;

  constructor(options: SocietyOfMindAgentOptions) {
    super({ name: options?.name, description: options?.description ?? "An agent that thinks with a team." });
    if (typeof options.team?.runStream !== "function" || typeof options.team.reset !== "function") {
      throw new ValidationError(`SocietyOfMindAgent '${this.name}' needs a 'team'`);
    }
    if (typeof options.modelClient?.create !== "function") {
      throw new ValidationError(`SocietyOfMindAgent '${this.name}' needs a 'modelClient'`);
    }
    this.team = options.team;
    this.modelClient = options.modelClient;
    this.instruction = options.instruction ?? DEFAULT_SOCIETY_INSTRUCTION;
    this.responsePrompt = options.responsePrompt ?? DEFAULT_SOCIETY_RESPONSE_PROMPT;
  }

  /** Always `TextMessage`. */
  get producedMessageTypes(): readonly string[] {
    return PRODUCED;
  }

  /** Runs the team and the summarising call; the inner messages come back in the response. */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return drainResponse(this.onMessagesStream(messages, options));
  }

  /**
   * Runs the inner team on the new messages (or, with none, lets it continue), yielding everything it
   * does, then asks the model for the reply.
   */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const signal = options.signal;
    const inner: BaseAgentMessage[] = [];
    let result: TaskResult | undefined;
    for await (const item of this.team.runStream({
      ...(messages.length > 0 ? { task: messages } : {}),
      ...(signal === undefined ? {} : { signal }),
      outputTaskMessages: false,
    })) {
      if (isTaskResult(item)) {
        result = item;
        continue;
      }
      yield item;
      if (!isTransient(item)) inner.push(item);
    }
    const said = inner.filter(isChatMessage);
    if (said.length === 0) {
      const why = result?.stopReason === undefined ? "" : ` (${result.stopReason})`;
      yield {
        chatMessage: new TextMessage({
          source: this.name,
          content: `The team ended without saying anything${why}.`,
        }),
        innerMessages: inner,
      };
      return;
    }
    const request: LLMMessage[] = [{ type: "SystemMessage", content: this.instruction }];
    for (const m of [...messages, ...said]) request.push(m.toModelMessage());
    request.push(
      this.modelClient.modelInfo?.multipleSystemMessages === true
        ? { type: "SystemMessage", content: this.responsePrompt }
        : { type: "UserMessage", content: this.responsePrompt, source: "user" },
    );
    const completion = await this.modelClient.create(request, signal === undefined ? {} : { signal });
    if (typeof completion.content !== "string") {
      throw new ModelError(
        "model_output",
        `SocietyOfMindAgent '${this.name}': the model answered with tool calls instead of a reply`,
      );
    }
    yield {
      chatMessage: new TextMessage({
        source: this.name,
        content: completion.content,
        modelsUsage: completion.usage,
      }),
      innerMessages: inner,
    };
  }

  /** Resets the inner team. */
  async onReset(_options?: CallOptions): Promise<void> {
    await this.team.reset();
  }

  /** Pauses the inner team. */
  override async onPause(_options?: CallOptions): Promise<void> {
    await this.team.pause();
  }

  /** Resumes the inner team. */
  override async onResume(_options?: CallOptions): Promise<void> {
    await this.team.resume();
  }

  /** Closes the inner team. */
  override async close(): Promise<void> {
    await this.team.close();
  }

  /** The inner team's state, wrapped. */
  override async saveState(): Promise<SocietyOfMindAgentState> {
    return { type: STATE_TYPE, version: STATE_VERSION, innerTeamState: await this.team.saveState() };
  }

  /** Restores the inner team's state. */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, STATE_TYPE, STATE_VERSION, `Agent '${this.name}'`);
    await this.team.loadState(doc.innerTeamState);
  }
}
