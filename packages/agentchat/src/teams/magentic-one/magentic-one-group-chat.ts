/**
 * `MagenticOneGroupChat`: a team led by the Magentic-One orchestrator, which plans, assigns each turn with
 * an instruction, notices when the team stalls and re-plans, and writes the final answer.
 */
import { type ChatCompletionClient, ValidationError } from "@autogen-ts/core";
import { BaseGroupChat, type BaseGroupChatOptions } from "../group-chat/base-group-chat.js";
import type { BaseGroupChatManager, GroupChatManagerOptions } from "../group-chat/manager.js";
import { MagenticOneOrchestrator } from "./orchestrator.js";

/** Options of {@link MagenticOneGroupChat}. */
export interface MagenticOneGroupChatOptions extends BaseGroupChatOptions {
  /** The orchestrator's model: it plans, writes the progress ledgers and the final answer. */
  readonly modelClient: ChatCompletionClient;
  /** The most participant turns a run may take (default 20). */
  readonly maxTurns?: number;
  /** Stalled turns (no progress, or going in circles) tolerated before re-planning (default 3). */
  readonly maxStalls?: number;
  /** Replaces the prompt for the final answer; `{task}` in it stands for the request. */
  readonly finalAnswerPrompt?: string;
  /** Extra attempts when a progress ledger is not valid JSON of the right shape (default 2). */
  readonly maxLedgerRetries?: number;
}

/**
 * A team coordinated by an orchestrator model, after Magentic-One: it gathers facts and writes a plan
 * (the task ledger), then after every turn reads the conversation into a progress ledger (is the request
 * satisfied, are we in a loop, is progress being made, who speaks next, with what instruction). After
 * `maxStalls` stalled turns it revises the facts and the plan and restarts the team on them; when the
 * request is satisfied it writes the final answer, the run's last message.
 *
 * @example
 * ```ts
 * const team = new MagenticOneGroupChat({
 *   participants: [researcher, coder],
 *   modelClient: new OpenAIChatCompletionClient({ model: "gpt-4o" }),
 * });
 * const result = await team.run({ task: "Which of the three largest EU economies grew fastest in 2024?" });
 * ```
 */
export class MagenticOneGroupChat extends BaseGroupChat {
  readonly modelClient: ChatCompletionClient;
  readonly maxStalls: number;
  readonly finalAnswerPrompt: string | undefined;
  readonly maxLedgerRetries: number;

  constructor(options: MagenticOneGroupChatOptions) {
    super({ ...options, maxTurns: options?.maxTurns ?? 20 });
    if (typeof options.modelClient?.create !== "function") {
      throw new ValidationError("MagenticOneGroupChat needs a 'modelClient' for its orchestrator");
    }
    const maxStalls = options.maxStalls ?? 3;
    if (!Number.isInteger(maxStalls) || maxStalls < 1) {
      throw new ValidationError(`maxStalls must be a positive integer, got ${maxStalls}`);
    }
    const retries = options.maxLedgerRetries ?? 2;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new ValidationError(`maxLedgerRetries must be a non-negative integer, got ${retries}`);
    }
    this.modelClient = options.modelClient;
    this.maxStalls = maxStalls;
    this.finalAnswerPrompt = options.finalAnswerPrompt;
    this.maxLedgerRetries = retries;
  }

  protected createManager(options: GroupChatManagerOptions): BaseGroupChatManager {
    return new MagenticOneOrchestrator({
      ...options,
      modelClient: this.modelClient,
      maxStalls: this.maxStalls,
      finalAnswerPrompt: this.finalAnswerPrompt,
      maxLedgerRetries: this.maxLedgerRetries,
    });
  }
}
