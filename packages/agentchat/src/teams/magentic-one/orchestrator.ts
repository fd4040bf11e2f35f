/**
 * The Magentic-One orchestrator: a group chat manager that plans with a model (the task ledger: facts and
 * plan), reads the conversation after every turn (the progress ledger), picks who works next and tells
 * them what to do, re-plans when the team stalls, and writes the final answer.
 */
import {
  type ChatCompletionClient,
  type LLMMessage,
  ModelError,
  throwIfAborted,
  ValidationError,
} from "@autogen-ts/core";
import type { BaseAgentMessage, BaseChatMessage } from "../../messages/base.js";
import { isChatMessage } from "../../messages/base.js";
import { StopMessage, TextMessage } from "../../messages/chat.js";
import { ThoughtEvent } from "../../messages/events.js";
import { BaseGroupChatManager, type GroupChatManagerOptions } from "../group-chat/manager.js";
import { type ProgressLedger, readProgressLedger } from "./ledger.js";
import {
  factsPrompt,
  finalAnswerPrompt,
  ledgerCorrectionPrompt,
  planPrompt,
  progressLedgerPrompt,
  taskLedger,
  teamRoster,
  updateFactsPrompt,
  updatePlanPrompt,
} from "./prompts.js";

/** Options of {@link MagenticOneOrchestrator}. */
export interface MagenticOneOrchestratorOptions extends GroupChatManagerOptions {
  readonly modelClient: ChatCompletionClient;
  /** Stalled turns (no progress, or a loop) tolerated before re-planning. */
  readonly maxStalls: number;
  /** Replaces the final-answer prompt; `{task}` in it stands for the request. */
  readonly finalAnswerPrompt?: string | undefined;
  /** Extra attempts when the model's progress ledger cannot be read. */
  readonly maxLedgerRetries: number;
}

/** The orchestrator's saved fields. */
interface OrchestratorState {
  task: string;
  facts: string;
  plan: string;
  stalls: number;
  replans: number;
  needsPlan: boolean;
  innerStart: number;
}

/** Plans, reads progress, picks speakers, re-plans and answers. */
export class MagenticOneOrchestrator extends BaseGroupChatManager {
  readonly #model: ChatCompletionClient;
  readonly #maxStalls: number;
  readonly #finalAnswerPrompt: string | undefined;
  readonly #maxLedgerRetries: number;
  #s: OrchestratorState = MagenticOneOrchestrator.#fresh();

  static #fresh(): OrchestratorState {
    return { task: "", facts: "", plan: "", stalls: 0, replans: 0, needsPlan: false, innerStart: 0 };
  }

  constructor(options: MagenticOneOrchestratorOptions) {
    super(options);
    this.#model = options.modelClient;
    this.#maxStalls = options.maxStalls;
    this.#finalAnswerPrompt = options.finalAnswerPrompt;
    this.#maxLedgerRetries = options.maxLedgerRetries;
  }

  /** The current facts and plan, and the stall and re-plan counters (a copy). */
  get ledgerState(): Readonly<OrchestratorState> {
    return { ...this.#s };
  }

  get #roster(): string {
    return teamRoster(this.participants);
  }

  protected override async onThreadUpdate(
    delta: readonly BaseAgentMessage[],
    speaker: string | undefined,
  ): Promise<void> {
    if (speaker !== undefined) return;
    // A new task: it is planned for at the next selection.
    this.#s.task = delta
      .filter(isChatMessage)
      .map((m) => m.toModelText())
      .join("\n\n");
    this.#s.needsPlan = true;
  }

  protected async selectSpeaker(
    _thread: readonly BaseAgentMessage[],
    signal: AbortSignal | undefined,
  ): Promise<readonly string[]> {
    if (this.#s.needsPlan || this.#s.plan === "") await this.#makePlan(signal);
    let ledger = await this.#progressLedger(signal);
    if (!ledger.is_request_satisfied.answer) {
      const stalled = !ledger.is_progress_being_made.answer || ledger.is_in_loop.answer;
      this.#s.stalls = stalled ? this.#s.stalls + 1 : Math.max(0, this.#s.stalls - 1);
      if (this.#s.stalls >= this.#maxStalls) {
        await this.#replan(signal);
        // The new plan gets its first turn: this ledger's stall verdict is not counted.
        ledger = await this.#progressLedger(signal);
      }
    }
    if (ledger.is_request_satisfied.answer) {
      await this.#finish(ledger.is_request_satisfied.reason, signal);
      return [];
    }
    await this.publishOwnMessage(
      new TextMessage({ source: this.name, content: ledger.instruction_or_question.answer }),
      signal,
    );
    return [ledger.next_speaker.answer];
  }

  /** Gathers the facts, writes the plan, and shows the team the task ledger. */
  async #makePlan(signal: AbortSignal | undefined): Promise<void> {
    if (this.#s.task === "") {
      this.#s.task = this.messageThread
        .filter((m): m is BaseChatMessage => isChatMessage(m) && m.source !== this.name)
        .slice(0, 1)
        .map((m) => m.toModelText())
        .join("");
    }
    const ask: LLMMessage[] = [user(factsPrompt(this.#s.task))];
    const facts = await this.#complete(ask, signal);
    const plan = await this.#complete(
      [...ask, assistant(facts, this.name), user(planPrompt(this.#roster))],
      signal,
    );
    this.#s = { ...this.#s, facts, plan, stalls: 0, needsPlan: false };
    await this.#showTaskLedger(signal);
  }

  /** Revises the facts and the plan, resets the team, and shows it the new task ledger. */
  async #replan(signal: AbortSignal | undefined): Promise<void> {
    const context = this.#conversation();
    const facts = await this.#complete(
      [...context, user(updateFactsPrompt(this.#s.task, this.#s.facts))],
      signal,
    );
    const plan = await this.#complete([...context, user(updatePlanPrompt(this.#roster))], signal);
    this.#s = { ...this.#s, facts, plan, stalls: 0, replans: this.#s.replans + 1 };
    await this.resetParticipants(this.participantNames, signal);
    await this.#showTaskLedger(signal);
  }

  async #showTaskLedger(signal: AbortSignal | undefined): Promise<void> {
    this.#s.innerStart = this.messageThread.length;
    const text = taskLedger(this.#s.task, this.#roster, this.#s.facts, this.#s.plan);
    await this.publishOwnMessage(new TextMessage({ source: this.name, content: text }), signal);
  }

  /** Asks for the progress ledger, retrying (with the problem explained) when it cannot be read. */
  async #progressLedger(signal: AbortSignal | undefined): Promise<ProgressLedger> {
    const names = this.participantNames;
    const messages: LLMMessage[] = [
      ...this.#conversation(),
      user(progressLedgerPrompt(this.#s.task, this.#roster, names)),
    ];
    const jsonOutput = this.#model.modelInfo.jsonOutput ? { jsonOutput: true } : {};
    let problem = "";
    let reply = "";
    for (let attempt = 0; attempt <= this.#maxLedgerRetries; attempt++) {
      throwIfAborted(signal);
      const result = await this.journaledModel(() =>
        this.#model.create(messages, { ...jsonOutput, ...(signal ? { signal } : {}) }),
      );
      reply = typeof result.content === "string" ? result.content : JSON.stringify(result.content);
      const reading = await readProgressLedger(reply, names);
      if (reading.ok) {
        await this.emitEvent(
          new ThoughtEvent({ source: this.name, content: JSON.stringify(reading.ledger, null, 2) }),
          signal,
        );
        return reading.ledger;
      }
      problem = reading.problem;
      messages.push(assistant(reply, this.name), user(ledgerCorrectionPrompt(problem)));
    }
    throw new ModelError(
      "model_output",
      `The orchestrator's model gave no usable progress ledger in ${this.#maxLedgerRetries + 1} attempts; the last reply: ${problem}`,
      { details: { reply } },
    );
  }

  /** At `maxTurns` the team still answers, as AutoGen's orchestrator does ("Max rounds reached."). */
  protected override async onMaxTurns(signal: AbortSignal | undefined): Promise<void> {
    await this.#finish("Max rounds reached.", signal);
  }

  /** Writes the final answer into the conversation and ends the run; the stop reason is `reason`, as in AutoGen. */
  async #finish(reason: string, signal: AbortSignal | undefined): Promise<void> {
    const prompt =
      this.#finalAnswerPrompt === undefined
        ? finalAnswerPrompt(this.#s.task)
        : this.#finalAnswerPrompt.replaceAll("{task}", this.#s.task);
    const answer = await this.#complete([...this.#conversation(), user(prompt)], signal);
    await this.publishOwnMessage(new TextMessage({ source: this.name, content: answer }), signal);
    await this.terminate(new StopMessage({ source: this.name, content: reason }));
  }

  /** The conversation since the current task ledger, as the model reads it. */
  #conversation(): LLMMessage[] {
    return this.messageThread
      .slice(this.#s.innerStart)
      .filter(isChatMessage)
      .map((m) => (m.source === this.name ? assistant(m.toModelText(), this.name) : m.toModelMessage()));
  }

  async #complete(messages: readonly LLMMessage[], signal: AbortSignal | undefined): Promise<string> {
    throwIfAborted(signal);
    const result = await this.journaledModel(() => this.#model.create(messages, signal ? { signal } : {}));
    if (typeof result.content !== "string") {
      throw new ModelError("model_output", "The orchestrator's model answered with tool calls, not text");
    }
    return result.content;
  }

  protected override async resetState(): Promise<void> {
    this.#s = MagenticOneOrchestrator.#fresh();
  }

  protected override saveExtraState(): Record<string, unknown> {
    return { magenticOne: { ...this.#s } };
  }

  protected override loadExtraState(state: Record<string, unknown>): void {
    const s = state.magenticOne as Partial<OrchestratorState> | undefined;
    const ok =
      typeof s === "object" &&
      s !== null &&
      typeof s.task === "string" &&
      typeof s.facts === "string" &&
      typeof s.plan === "string" &&
      Number.isInteger(s.stalls) &&
      Number.isInteger(s.replans) &&
      typeof s.needsPlan === "boolean" &&
      Number.isInteger(s.innerStart);
    if (!ok) {
      throw new ValidationError("The saved state of the Magentic-One orchestrator is malformed", {
        code: "invalid_state",
      });
    }
    this.#s = { ...(s as OrchestratorState) };
  }
}

function user(content: string): LLMMessage {
  return { type: "UserMessage", content, source: "user" };
}

function assistant(content: string, source: string): LLMMessage {
  return { type: "AssistantMessage", content, source };
}
