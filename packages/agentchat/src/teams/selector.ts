/**
 * `SelectorGroupChat`: a model reads the conversation and names who speaks next. A custom
 * `selectorFunc` can decide instead, and a `candidateFunc` can narrow whom the model may pick. When the
 * model names nobody usable after `maxSelectorAttempts` tries, a fixed rule picks the speaker, so a run
 * always moves on (it can never spin on the selector, nor hand the turn back to an excluded speaker).
 */
import type { ChatCompletionClient, ChatCompletionContext, CreateResult, LLMMessage } from "@autogen-ts/core";
import { UnboundedChatCompletionContext, ValidationError } from "@autogen-ts/core";
import type { BaseAgentMessage } from "../messages/base.js";
import { isChatMessage } from "../messages/base.js";
import { ModelClientStreamingChunkEvent } from "../messages/events.js";
import { contentToStr } from "../utils/remove-images.js";
import { BaseGroupChat, type BaseGroupChatOptions } from "./group-chat/base-group-chat.js";
import { BaseGroupChatManager, type GroupChatManagerOptions } from "./group-chat/manager.js";

/**
 * The default selector prompt. `{roles}` becomes one `name: description` line per candidate,
 * `{participants}` the candidates' names, and `{history}` the conversation as `source: text` lines.
 */
export const DEFAULT_SELECTOR_PROMPT = `You are choosing who speaks next in a group conversation.

The members who may speak next, with what each does:
{roles}

The conversation so far:
{history}

Considering what has been said and what remains to be done, which member of {participants} should speak next? Answer with exactly one name from that list and nothing else.`;

/** What a {@link SelectorFunc} or {@link CandidateFunc} is told besides the transcript. */
export interface SelectorContext {
  /** Who took the last turn, if anyone has. */
  readonly previousSpeaker: string | undefined;
  /** Every participant's name, in the team's order. */
  readonly participants: readonly string[];
  /** Cancels the run. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Picks the next speaker from the transcript (chat messages and events), or returns undefined to let the
 * model choose. A name that is not a participant ends the run with a `ValidationError`.
 */
export type SelectorFunc = (
  thread: readonly BaseAgentMessage[],
  context: SelectorContext,
) => string | undefined | null | Promise<string | undefined | null>;

/**
 * Narrows whom the model may choose: returns the candidates' names (at least one participant). A single
 * candidate speaks without a model call.
 */
export type CandidateFunc = (
  thread: readonly BaseAgentMessage[],
  context: SelectorContext,
) => readonly string[] | Promise<readonly string[]>;

/** Options of {@link SelectorGroupChat}. */
export interface SelectorGroupChatOptions extends BaseGroupChatOptions {
  /** The model that picks the next speaker. */
  readonly modelClient: ChatCompletionClient;
  /**
   * The prompt the model reads; `{roles}`, `{participants}` and `{history}` are filled in
   * (default {@link DEFAULT_SELECTOR_PROMPT}).
   */
  readonly selectorPrompt?: string;
  /** Whether the same participant may speak twice in a row (default false). */
  readonly allowRepeatedSpeaker?: boolean;
  /**
   * How many times the model is asked before the fallback rule picks (default 3). After a reply that
   * names nobody usable, or several, the model is asked again and told what was wrong.
   */
  readonly maxSelectorAttempts?: number;
  /** Decides the next speaker before the model is asked; returning undefined lets the model choose. */
  readonly selectorFunc?: SelectorFunc;
  /** Narrows the candidates the model chooses from. */
  readonly candidateFunc?: CandidateFunc;
  /**
   * What the selector remembers of the conversation for `{history}` (default: everything). Pass a
   * `BufferedChatCompletionContext` or a token-limited one to bound a long conversation's prompt.
   */
  readonly modelContext?: ChatCompletionContext;
  /** Stream the selector's reply, yielding it as `ModelClientStreamingChunkEvent`s (default false). */
  readonly modelClientStreaming?: boolean;
}

/** What the manager needs beyond the base options: the team's options with their defaults filled in. */
export interface SelectorSettings {
  readonly modelClient: ChatCompletionClient;
  readonly selectorPrompt: string;
  readonly allowRepeatedSpeaker: boolean;
  readonly maxSelectorAttempts: number;
  readonly selectorFunc: SelectorFunc | undefined;
  readonly candidateFunc: CandidateFunc | undefined;
  readonly modelContext: ChatCompletionContext;
  readonly modelClientStreaming: boolean;
}

/** The outcome of reading one selector reply: the chosen name, or what to tell the model. */
export type SelectorReading = { readonly name: string } | { readonly problem: string };

/**
 * The manager of a {@link SelectorGroupChat}.
 *
 * Fallback rule, once the model has had `maxSelectorAttempts` tries without naming exactly one usable
 * candidate: the first candidate after the previous speaker in the team's order, skipping the previous
 * speaker (so with garbage replies the turn rotates through the candidates as in a round robin); when the
 * previous speaker is the only candidate, it speaks.
 */
export class SelectorGroupChatManager extends BaseGroupChatManager {
  readonly #settings: SelectorSettings;
  #previousSpeaker: string | undefined;
  /**
   * Set when the model context no longer mirrors the transcript (after a load). Not at the start: a context
   * the caller filled beforehand is kept, and the run's messages are added after it, as in AutoGen.
   */
  #contextStale = false;

  constructor(options: GroupChatManagerOptions, settings: SelectorSettings) {
    super(options);
    this.#settings = settings;
  }

  protected override async onThreadUpdate(
    delta: readonly BaseAgentMessage[],
    speaker: string | undefined,
  ): Promise<void> {
    if (speaker !== undefined) this.#previousSpeaker = speaker;
    if (!this.#contextStale) await this.#addToContext(delta);
  }

  protected override async resetState(): Promise<void> {
    this.#previousSpeaker = undefined;
    await this.#settings.modelContext.clear();
    this.#contextStale = false;
  }

  protected override saveExtraState(): Record<string, unknown> {
    return this.#previousSpeaker === undefined ? {} : { previousSpeaker: this.#previousSpeaker };
  }

  protected override loadExtraState(state: Record<string, unknown>): void {
    const previous = state.previousSpeaker;
    this.#previousSpeaker =
      typeof previous === "string" && this.participantNames.includes(previous) ? previous : undefined;
    // The model context is rebuilt from the restored transcript before the next selection.
    this.#contextStale = true;
  }

  protected async selectSpeaker(
    thread: readonly BaseAgentMessage[],
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const names = this.participantNames;
    const context: SelectorContext = { previousSpeaker: this.#previousSpeaker, participants: names, signal };
    const { selectorFunc, candidateFunc } = this.#settings;
    if (selectorFunc !== undefined) {
      const chosen = await selectorFunc(thread, context);
      if (chosen !== undefined && chosen !== null) {
        if (!names.includes(chosen)) {
          throw new ValidationError(
            `selectorFunc chose "${chosen}", who is not a participant (participants: ${names.join(", ")})`,
          );
        }
        return chosen;
      }
    }
    let candidates: readonly string[] = names;
    if (candidateFunc !== undefined) {
      const given = await candidateFunc(thread, context);
      if (!Array.isArray(given) || given.length === 0) {
        throw new ValidationError("candidateFunc must return at least one participant's name");
      }
      const unknown = given.filter((n) => !names.includes(n));
      if (unknown.length > 0) {
        throw new ValidationError(
          `candidateFunc returned ${unknown.map((n) => `"${n}"`).join(", ")}, not participants ` +
            `(participants: ${names.join(", ")})`,
        );
      }
      // Keep the team's order and drop duplicates, so the fallback rule is the same either way.
      candidates = names.filter((n) => given.includes(n));
    }
    if (!this.#settings.allowRepeatedSpeaker && this.#previousSpeaker !== undefined) {
      const others = candidates.filter((n) => n !== this.#previousSpeaker);
      // The previous speaker stays only when nobody else may speak.
      if (others.length > 0) candidates = others;
    }
    if (candidates.length === 1) return candidates[0] as string;
    return this.#askModel(candidates, signal);
  }

  /** Asks the model, with corrective follow-ups, then falls back to the rule in the class comment. */
  async #askModel(candidates: readonly string[], signal: AbortSignal | undefined): Promise<string> {
    const settings = this.#settings;
    const prompt = settings.selectorPrompt
      .replaceAll("{roles}", this.#roles(candidates))
      .replaceAll("{participants}", `[${candidates.join(", ")}]`)
      .replaceAll("{history}", await this.#history());
    const request: LLMMessage[] = [{ type: "UserMessage", content: prompt, source: "user" }];
    for (let attempt = 1; attempt <= settings.maxSelectorAttempts; attempt++) {
      const reply = await this.#complete(request, signal);
      const reading = readSelection(reply, candidates, this.participantNames);
      if ("name" in reading) return reading.name;
      if (attempt === settings.maxSelectorAttempts) break;
      request.push(
        { type: "AssistantMessage", content: reply, source: "selector" },
        { type: "UserMessage", content: reading.problem, source: "user" },
      );
    }
    return this.#fallback(candidates);
  }

  /** The first candidate after the previous speaker in the team's order, other than the previous speaker. */
  #fallback(candidates: readonly string[]): string {
    const names = this.participantNames;
    const start = this.#previousSpeaker === undefined ? -1 : names.indexOf(this.#previousSpeaker);
    for (let step = 1; step <= names.length; step++) {
      const name = names[(start + step) % names.length] as string;
      if (name !== this.#previousSpeaker && candidates.includes(name)) return name;
    }
    return candidates[0] as string;
  }

  async #complete(request: readonly LLMMessage[], signal: AbortSignal | undefined): Promise<string> {
    const { modelClient, modelClientStreaming } = this.#settings;
    const options = signal === undefined ? {} : { signal };
    const result = await this.journaledModel(async () => {
      if (!modelClientStreaming) return modelClient.create(request, options);
      let final: CreateResult | undefined;
      for await (const chunk of modelClient.createStream(request, options)) {
        if (typeof chunk === "string") {
          await this.emitEvent(
            new ModelClientStreamingChunkEvent({ source: this.name, content: chunk }),
            signal,
          );
        } else {
          final = chunk;
        }
      }
      // A stream without a final result names nobody, as a reply of function calls does (below).
      return (
        final ?? {
          finishReason: "unknown",
          content: "",
          usage: { promptTokens: 0, completionTokens: 0 },
          cached: false,
        }
      );
    });
    // A reply made of function calls names nobody; the corrective follow-up asks for a name.
    return typeof result?.content === "string" ? result.content : "";
  }

  #roles(candidates: readonly string[]): string {
    return this.participants
      .filter((p) => candidates.includes(p.name))
      .map((p) => `${p.name}: ${p.description}`)
      .join("\n");
  }

  async #history(): Promise<string> {
    const modelContext = this.#settings.modelContext;
    if (this.#contextStale) {
      await modelContext.clear();
      this.#contextStale = false;
      await this.#addToContext(this.messageThread);
    }
    const lines: string[] = [];
    for (const m of await modelContext.getMessages()) {
      if (m.type === "UserMessage") lines.push(`${m.source}: ${contentToStr(m.content)}`);
      else if (m.type === "AssistantMessage" && typeof m.content === "string")
        lines.push(`${m.source}: ${m.content}`);
      else if (m.type === "SystemMessage") lines.push(m.content);
    }
    return lines.join("\n\n");
  }

  async #addToContext(messages: readonly BaseAgentMessage[]): Promise<void> {
    // Events (tool calls, selections) are how agents worked, not what they said: the selector reads what they said.
    for (const m of messages)
      if (isChatMessage(m)) await this.#settings.modelContext.addMessage(m.toModelMessage());
  }
}

const NAME_CHAR = "A-Za-z0-9_-";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The participants whose names occur in `text` as whole words, first occurrence first. */
function mentions(text: string, names: readonly string[], ignoreCase: boolean): string[] {
  const found: { name: string; at: number }[] = [];
  for (const name of names) {
    const pattern = new RegExp(
      `(?<![${NAME_CHAR}])${escapeRegExp(name)}(?![${NAME_CHAR}])`,
      ignoreCase ? "i" : "",
    );
    const match = pattern.exec(text);
    if (match !== null) found.push({ name, at: match.index });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.name);
}

/** Mentions with exact case, or, when there are none, ignoring case. */
function mentionsAnyCase(text: string, names: readonly string[]): string[] {
  const exact = mentions(text, names, false);
  return exact.length > 0 ? exact : mentions(text, names, true);
}

const CUE =
  /\b(?:choose|chose|choosing|select|selected|selecting|pick|picked|picking|next speaker(?: is|:)?|should speak next(?: is|:)?|speaker:|answer:|next:)\s*/gi;

/**
 * Reads a selector reply: a bare name (any case, quotes, markdown or a final period around it), a reply
 * naming exactly one participant, a name right after a cue such as "I choose", or a last line that is a
 * name. Anything else is a problem the model is told about.
 */
export function readSelection(
  reply: string,
  candidates: readonly string[],
  participants: readonly string[],
): SelectorReading {
  const list = `[${candidates.join(", ")}]`;
  // Reasoning models may think aloud in tags before answering.
  const text = reply.replace(/<think>[\s\S]*?<\/think>/gi, " ").trim();
  const bare = stripDecoration(text);
  const exact =
    participants.find((n) => n === bare) ?? participants.find((n) => n.toLowerCase() === bare.toLowerCase());
  if (exact !== undefined) return usable(exact, candidates, list);
  const named = mentionsAnyCase(text, participants);
  if (named.length === 1) return usable(named[0] as string, candidates, list);
  if (named.length > 1) {
    // "I choose critic, since writer just spoke": the name after a selection cue decides.
    const afterCue = new Set<string>();
    for (const match of text.matchAll(CUE)) {
      const rest = stripDecoration(text.slice(match.index + match[0].length).split(/[\s,;]/, 1)[0] ?? "");
      const name =
        participants.find((n) => n === rest) ??
        participants.find((n) => n.toLowerCase() === rest.toLowerCase());
      if (name !== undefined) afterCue.add(name);
    }
    if (afterCue.size === 1) return usable([...afterCue][0] as string, candidates, list);
    const lastLine = stripDecoration(
      text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .at(-1) ?? "",
    );
    const last =
      participants.find((n) => n === lastLine) ??
      participants.find((n) => n.toLowerCase() === lastLine.toLowerCase());
    if (last !== undefined) return usable(last, candidates, list);
    return {
      problem: `Your reply named several members (${named.join(", ")}). Name exactly one from ${list}.`,
    };
  }
  return { problem: `Your reply did not name any member. Answer with exactly one name from ${list}.` };
}

function usable(name: string, candidates: readonly string[], list: string): SelectorReading {
  if (candidates.includes(name)) return { name };
  return { problem: `${name} cannot speak next. Answer with exactly one name from ${list}.` };
}

/** Drops quotes, markdown emphasis, brackets and trailing punctuation around a bare answer. */
function stripDecoration(text: string): string {
  return text
    .trim()
    .replace(/^[\s"'`*_[(<]+/, "")
    .replace(/[\s"'`*_\])>.!,:;]+$/, "")
    .trim();
}

/**
 * A team where a model picks who speaks next from the participants' names and descriptions and the
 * conversation so far.
 *
 * @example
 * ```ts
 * const team = new SelectorGroupChat({
 *   participants: [planner, searcher, analyst],
 *   modelClient,
 *   terminationCondition: new TextMentionTermination("TERMINATE").or(new MaxMessageTermination(25)),
 * });
 * const result = await team.run({ task: "Who scored most points for the Heat in 2006-07?" });
 * ```
 */
export class SelectorGroupChat extends BaseGroupChat {
  readonly #settings: SelectorSettings;

  /** The selector's settings, defaults filled in (read-only; for dumping the team as a component). */
  get selectorSettings(): Readonly<SelectorSettings> {
    return this.#settings;
  }

  constructor(options: SelectorGroupChatOptions) {
    super(options);
    const modelClient = options.modelClient;
    if (typeof modelClient?.create !== "function") {
      throw new ValidationError("SelectorGroupChat needs a 'modelClient' to pick the next speaker");
    }
    const attempts = options.maxSelectorAttempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new ValidationError(`maxSelectorAttempts must be a positive integer, got ${attempts}`);
    }
    const prompt = options.selectorPrompt ?? DEFAULT_SELECTOR_PROMPT;
    if (typeof prompt !== "string" || prompt.trim() === "") {
      throw new ValidationError("selectorPrompt must be a non-empty string");
    }
    for (const [key, value] of [
      ["selectorFunc", options.selectorFunc],
      ["candidateFunc", options.candidateFunc],
    ] as const) {
      if (value !== undefined && typeof value !== "function") {
        throw new ValidationError(`${key} must be a function`);
      }
    }
    this.#settings = {
      modelClient,
      selectorPrompt: prompt,
      allowRepeatedSpeaker: options.allowRepeatedSpeaker ?? false,
      maxSelectorAttempts: attempts,
      selectorFunc: options.selectorFunc,
      candidateFunc: options.candidateFunc,
      modelContext: options.modelContext ?? new UnboundedChatCompletionContext(),
      modelClientStreaming: options.modelClientStreaming ?? false,
    };
  }

  protected createManager(options: GroupChatManagerOptions): BaseGroupChatManager {
    return new SelectorGroupChatManager(options, this.#settings);
  }
}
