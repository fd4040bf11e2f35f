/**
 * `SocietyOfMindAgent`: a team that answers as one agent. Each turn it runs its inner team on the new
 * messages, streams what the team does as inner events, then has its model turn the team's transcript
 * into one reply. As in AutoGen, the inner team is reset after every turn; the agent keeps the messages it
 * was given in its own model context and gives them to the next turn's team ahead of the new ones.
 */
import type { ChatCompletionClient, ChatCompletionContext, LLMMessage } from "@autogen-ts/core";
import { ModelError, UnboundedChatCompletionContext, ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, Response } from "../base/types.js";
import { isResponse, isTaskResult } from "../base/types.js";
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
  /** Where the messages given to the agent are kept between turns (default: unbounded). */
  readonly modelContext?: ChatCompletionContext;
}

/** The saved form of a {@link SocietyOfMindAgent}: the inner team's state and the agent's model context. */
export interface SocietyOfMindAgentState extends AgentState {
  readonly type: "SocietyOfMindAgentState";
  readonly version: 1;
  /** The inner team's own saved document. */
  readonly innerTeamState: AgentState;
  /** The messages the agent was given so far (absent in documents saved before it kept them). */
  readonly modelContextState?: Record<string, unknown>;
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
  /** The messages given to the agent so far. */
  readonly modelContext: ChatCompletionContext;

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
    this.modelContext = options.modelContext ?? new UnboundedChatCompletionContext();
  }

  /** Always `TextMessage`. */
  get producedMessageTypes(): readonly string[] {
    return PRODUCED;
  }

  /**
   * Runs the team and the summarising call. As in AutoGen, the response has no inner messages: the team's
   * work is streamed by {@link onMessagesStream}, and the reply is what the agent says to the outside.
   */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    let response: Response | undefined;
    for await (const item of this.onMessagesStream(messages, options)) {
      if (isResponse(item)) response = item;
    }
    return response as Response;
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
    const previous = await this.modelContext.getMessages();
    // The messages of earlier turns go first, as their senders wrote them: AutoGen wraps them in a
    // HandoffMessage to no one, which a Swarm cannot take as a task.
    const earlier = previous.flatMap((m) =>
      m.type === "UserMessage" && typeof m.content === "string"
        ? [new TextMessage({ source: m.source, content: m.content })]
        : [],
    );
    const task: BaseChatMessage[] = [...earlier, ...messages];
    if (task.length > 0) {
      for await (const item of this.team.runStream({
        task,
        ...(signal === undefined ? {} : { signal }),
        outputTaskMessages: false,
      })) {
        if (isTaskResult(item)) continue;
        yield item;
        if (!isTransient(item)) inner.push(item);
      }
    }
    const said = inner.filter(isChatMessage);
    let reply: TextMessage;
    if (said.length === 0) {
      reply = new TextMessage({ source: this.name, content: "No response." });
    } else {
      // The instruction and the closing prompt are system messages only where the model takes several.
      const several = this.modelClient.modelInfo?.multipleSystemMessages === true;
      const frame = (content: string): LLMMessage =>
        several ? { type: "SystemMessage", content } : { type: "UserMessage", content, source: "user" };
      const request: LLMMessage[] = [frame(this.instruction)];
      // Unlike AutoGen, the summariser also reads the request itself, not only the team's answer to it.
      for (const m of [...messages, ...said]) request.push(m.toModelMessage());
      request.push(frame(this.responsePrompt));
      const completion = await this.modelClient.create(request, signal === undefined ? {} : { signal });
      if (typeof completion.content !== "string") {
        throw new ModelError(
          "model_output",
          `SocietyOfMindAgent '${this.name}': the model answered with tool calls instead of a reply`,
        );
      }
      reply = new TextMessage({
        source: this.name,
        content: completion.content,
        modelsUsage: completion.usage,
      });
    }
    for (const m of messages) await this.modelContext.addMessage(m.toModelMessage());
    await this.team.reset();
    yield { chatMessage: reply, innerMessages: [] };
  }

  /** Resets the inner team and forgets the messages given so far. */
  async onReset(_options?: CallOptions): Promise<void> {
    await this.team.reset();
    await this.modelContext.clear();
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

  /** The inner team's state and the agent's model context, wrapped. */
  override async saveState(): Promise<SocietyOfMindAgentState> {
    return {
      type: STATE_TYPE,
      version: STATE_VERSION,
      innerTeamState: await this.team.saveState(),
      modelContextState: (await this.modelContext.saveState()) as unknown as Record<string, unknown>,
    };
  }

  /** Restores the inner team's state and the model context (documents without one leave it empty). */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, STATE_TYPE, STATE_VERSION, `Agent '${this.name}'`);
    await this.team.loadState(doc.innerTeamState);
    if (doc.modelContextState === undefined) await this.modelContext.clear();
    else await this.modelContext.loadState(doc.modelContextState);
  }
}
