/**
 * The classic `GroupChat`: the participants, the shared message list, and who speaks next (AG2's speaker
 * selection: round robin, random, manual, a function, or "auto", where the manager's model names the
 * speaker), limited by a graph of allowed speaker transitions.
 */
import { randomUuid, ToolError, ValidationError } from "@autogen-ts/core";
import type { InputFunc } from "../agents/user-proxy-agent.js";
import { terminalInput } from "../agents/user-proxy-agent.js";
import type { AgentState } from "../base/types.js";
import type { ConversableAgent } from "./conversable-agent.js";
import { loadGroupChatState, saveGroupChatState } from "./group-chat-state.js";
import { autoSelectSpeaker } from "./speaker-selection.js";
import { buildTransitions, type SpeakerTransitions } from "./transitions.js";
import type { ClassicMessage } from "./types.js";
import { contentText } from "./types.js";

/** The named speaker selection methods (compared case-insensitively). */
export type SpeakerSelectionMethodName = "auto" | "round_robin" | "random" | "manual";

/**
 * Picks the next speaker: an agent, a method name to use this turn, or `null`/`undefined` to end the chat.
 */
export type SpeakerSelectionFunc = (
  lastSpeaker: ConversableAgent,
  groupchat: GroupChat,
) =>
  | ConversableAgent
  | SpeakerSelectionMethodName
  | null
  | undefined
  | Promise<ConversableAgent | SpeakerSelectionMethodName | null | undefined>;

/** The selector's instructions; `{roles}` and `{agentlist}` are filled in. */
export const DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE =
  "You are choosing who speaks next in a group conversation. The participants are:\n{roles}\n" +
  "Read the conversation, then pick the next speaker from {agentlist}. Answer with the name only.";
/** The last message the selector reads; `{agentlist}` is filled in. */
export const DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE =
  "Read the conversation above, then name the next speaker from {agentlist}. Answer with the name only.";
/** Sent back when the selector named several participants. */
export const DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE =
  "Your answer named more than one participant. Reply with exactly one name from {agentlist}: the one who should speak next.";
/** Sent back when the selector named nobody. */
export const DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE =
  "Your answer named no participant. Reply with exactly one name from {agentlist}: the one who should speak next.";
/** The start of the introductions sent with `sendIntroductions`. */
export const DEFAULT_INTRODUCTIONS =
  "Hello everyone. This group is here to answer questions and solve tasks together. The members are:\n\n";

/** Options of {@link GroupChat}. */
export interface GroupChatOptions {
  readonly agents: readonly ConversableAgent[];
  /** The shared messages so far (default empty; the array is used as it is). */
  readonly messages?: ClassicMessage[];
  /** The most messages in one run, the first included (default 10). */
  readonly maxRound?: number;
  /** Who speaks when a run is interrupted (default "Admin"). */
  readonly adminName?: string;
  /** After a tool call, pick only agents that can execute it (default true). */
  readonly funcCallFilter?: boolean;
  /** How the next speaker is picked (default "auto"). */
  readonly speakerSelectionMethod?: SpeakerSelectionMethodName | SpeakerSelectionFunc;
  /** How often "auto" asks again after an answer naming nobody or several (default 2). */
  readonly maxRetriesForSelectingSpeaker?: number;
  /** Whether a speaker may speak twice in a row (all, none, or these); not with transitions. */
  readonly allowRepeatSpeaker?: boolean | readonly ConversableAgent[] | null;
  /** The transition graph: per speaker, who may (or may not) speak after it. */
  readonly allowedOrDisallowedSpeakerTransitions?: SpeakerTransitions;
  /** Whether the graph lists allowed or disallowed transitions. */
  readonly speakerTransitionsType?: "allowed" | "disallowed";
  /** Act on "clear history [agent] [n]" in a reply (AG2's command; default false). */
  readonly enableClearHistory?: boolean;
  /** Send every agent the participants' descriptions first (default false). */
  readonly sendIntroductions?: boolean;
  readonly selectSpeakerMessageTemplate?: string;
  /** `null` or `""`: no prompt after the conversation. */
  readonly selectSpeakerPromptTemplate?: string | null;
  readonly selectSpeakerAutoMultipleTemplate?: string;
  readonly selectSpeakerAutoNoneTemplate?: string;
  /** The role of the selector's prompts (default "system"). */
  readonly roleForSelectSpeakerMessages?: string;
  /** Asks the person in "manual" selection (default: the terminal). */
  readonly inputFunc?: InputFunc;
  /** A random number in [0, 1) for "random" selection (default Math.random). */
  readonly random?: () => number;
}

const METHODS = ["auto", "round_robin", "random", "manual"];

function nonEmpty(value: string | undefined | null, fallback: string, field: string): string {
  const v = value === undefined ? fallback : value;
  if (v === null || v === "") throw new ValidationError(`GroupChat: ${field} cannot be empty or null`);
  return v;
}

/** Python's `str(list)` of names, as AG2 fills `{agentlist}`: `['Alice', 'Bob']`. */
function agentList(agents: readonly ConversableAgent[]): string {
  return `[${agents.map((a) => `'${a.name}'`).join(", ")}]`;
}

/** A classic group chat. */
export class GroupChat {
  readonly agents: readonly ConversableAgent[];
  readonly messages: ClassicMessage[];
  maxRound: number;
  readonly adminName: string;
  readonly funcCallFilter: boolean;
  readonly speakerSelectionMethod: SpeakerSelectionMethodName | SpeakerSelectionFunc;
  readonly maxRetriesForSelectingSpeaker: number;
  readonly allowRepeatSpeaker: boolean | readonly ConversableAgent[];
  readonly sendIntroductions: boolean;
  /** Whether replies may clear histories with "clear history". */
  readonly enableClearHistory: boolean;
  /** Per speaker, who may speak after it. */
  readonly allowedSpeakerTransitions: ReadonlyMap<ConversableAgent, readonly ConversableAgent[]>;
  readonly selectSpeakerMessageTemplate: string;
  readonly selectSpeakerPromptTemplate: string | null;
  readonly selectSpeakerAutoMultipleTemplate: string;
  readonly selectSpeakerAutoNoneTemplate: string;
  roleForSelectSpeakerMessages: string;
  readonly #inputFunc: InputFunc;
  readonly #random: () => number;

  constructor(options: GroupChatOptions) {
    if (!Array.isArray(options?.agents))
      throw new ValidationError("GroupChat: 'agents' must be a list of agents");
    this.agents = [...options.agents];
    this.messages = options.messages ?? [];
    this.maxRound = options.maxRound ?? 10;
    if (!Number.isInteger(this.maxRound) || this.maxRound < 1) {
      throw new ValidationError("GroupChat: maxRound must be a positive integer");
    }
    this.adminName = options.adminName ?? "Admin";
    this.funcCallFilter = options.funcCallFilter ?? true;
    const method = options.speakerSelectionMethod ?? "auto";
    if (typeof method !== "function" && !METHODS.includes(String(method).toLowerCase())) {
      throw new ValidationError(
        `GroupChat: speakerSelectionMethod ${JSON.stringify(method)} is not one of ${METHODS.join(", ")} or a function`,
      );
    }
    this.speakerSelectionMethod =
      typeof method === "function" ? method : (method.toLowerCase() as SpeakerSelectionMethodName);
    const retries = options.maxRetriesForSelectingSpeaker ?? 2;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new ValidationError("GroupChat: maxRetriesForSelectingSpeaker must be a non-negative integer");
    }
    this.maxRetriesForSelectingSpeaker = retries;
    const repeat = options.allowRepeatSpeaker;
    if (repeat !== undefined && repeat !== null && typeof repeat !== "boolean" && !Array.isArray(repeat)) {
      throw new ValidationError("GroupChat: allowRepeatSpeaker must be a boolean or a list of agents");
    }
    this.allowRepeatSpeaker = repeat ?? true;
    this.allowedSpeakerTransitions = buildTransitions(this.agents, {
      repeat: repeat ?? null,
      graph: options.allowedOrDisallowedSpeakerTransitions,
      type: options.speakerTransitionsType,
    });
    this.sendIntroductions = options.sendIntroductions ?? false;
    this.enableClearHistory = options.enableClearHistory ?? false;
    this.selectSpeakerMessageTemplate = nonEmpty(
      options.selectSpeakerMessageTemplate,
      DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE,
      "selectSpeakerMessageTemplate",
    );
    const prompt = options.selectSpeakerPromptTemplate;
    this.selectSpeakerPromptTemplate =
      prompt === undefined ? DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE : prompt === "" ? null : prompt;
    this.selectSpeakerAutoMultipleTemplate = nonEmpty(
      options.selectSpeakerAutoMultipleTemplate,
      DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE,
      "selectSpeakerAutoMultipleTemplate",
    );
    this.selectSpeakerAutoNoneTemplate = nonEmpty(
      options.selectSpeakerAutoNoneTemplate,
      DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE,
      "selectSpeakerAutoNoneTemplate",
    );
    this.roleForSelectSpeakerMessages = nonEmpty(
      options.roleForSelectSpeakerMessages,
      "system",
      "roleForSelectSpeakerMessages",
    );
    this.#inputFunc = options.inputFunc ?? ((p, s) => terminalInput(p, s));
    this.#random = options.random ?? Math.random;
  }

  /** The participants' names. */
  get agentNames(): string[] {
    return this.agents.map((a) => a.name);
  }

  /** Empties the message list. */
  reset(): void {
    this.messages.length = 0;
  }

  /** Adds a message as said by `speaker` (named after it, unless it is a function result). */
  append(message: ClassicMessage, speaker: ConversableAgent): void {
    const copy = structuredClone(message);
    if (copy.role !== "function") copy.name = speaker.name;
    if (copy.content !== null && typeof copy.content !== "string" && !Array.isArray(copy.content)) {
      copy.content = String(copy.content);
    }
    this.messages.push(copy);
  }

  /** The participant called `name` (searching nested group chats with `recursive`), if any. */
  agentByName(
    name: string,
    options: { readonly recursive?: boolean; readonly raiseOnNameConflict?: boolean } = {},
  ): ConversableAgent | undefined {
    const pool = options.recursive ? this.nestedAgents() : this.agents;
    const found = pool.filter((a) => a.name === name);
    if (options.raiseOnNameConflict && found.length > 1) {
      throw new ValidationError(`GroupChat: more than one agent is named '${name}'`, { details: { name } });
    }
    return found[0];
  }

  /** The participants and, for those managing group chats, theirs, recursively. */
  nestedAgents(): ConversableAgent[] {
    const out: ConversableAgent[] = [];
    for (const agent of this.agents) {
      out.push(agent);
      const inner = (agent as { groupchat?: unknown }).groupchat;
      if (inner instanceof GroupChat) out.push(...inner.nestedAgents());
    }
    return out;
  }

  /** The agent after `agent` in the group's order, among `agents` (default all). */
  nextAgent(agent: ConversableAgent, agents: readonly ConversableAgent[] = this.agents): ConversableAgent {
    if (!agents.every((a) => this.agents.includes(a)) || agents.length === 0) {
      throw new ValidationError("GroupChat: the agents to choose from are not all in the group", {
        code: "invalid_argument",
      });
    }
    const idx = this.agents.indexOf(agent);
    for (let i = 1; i <= this.agents.length; i++) {
      const candidate = this.agents[(idx + i + this.agents.length) % this.agents.length] as ConversableAgent;
      if (agents.includes(candidate)) return candidate;
    }
    return agents[0] as ConversableAgent;
  }

  /** The selector's system message for these agents. */
  selectSpeakerMsg(agents: readonly ConversableAgent[] = this.agents): string {
    const roles = agents.map((a) => `${a.name}: ${a.description}`.trim()).join("\n");
    return this.selectSpeakerMessageTemplate
      .replaceAll("{roles}", roles)
      .replaceAll("{agentlist}", agentList(agents));
  }

  /** The selector's final prompt for these agents, or undefined when there is none. */
  selectSpeakerPrompt(agents: readonly ConversableAgent[] = this.agents): string | undefined {
    return this.selectSpeakerPromptTemplate?.replaceAll("{agentlist}", agentList(agents));
  }

  /** A retry prompt of "auto" selection: for several names or for none. */
  selectSpeakerRetryPrompt(kind: "multiple" | "none", agents: readonly ConversableAgent[]): string {
    const template =
      kind === "multiple" ? this.selectSpeakerAutoMultipleTemplate : this.selectSpeakerAutoNoneTemplate;
    return template.replaceAll("{agentlist}", agentList(agents));
  }

  /** The introductions message (`sendIntroductions`). */
  introductionsMsg(agents: readonly ConversableAgent[] = this.agents): string {
    const roles = agents.map((a) => `${a.name}: ${a.description}`.trim()).join("\n");
    return `${DEFAULT_INTRODUCTIONS}${roles}`;
  }

  /**
   * How often each agent is named in `content`: whole words, with `_` also matched as a space or `\_`
   * (AG2's `_mentioned_agents`).
   */
  mentionedAgents(
    content: ClassicMessage["content"],
    agents: readonly ConversableAgent[] = this.agents,
  ): Record<string, number> {
    const text = ` ${contentText(content)} `;
    const mentions: Record<string, number> = {};
    const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const agent of agents) {
      const forms = [agent.name, agent.name.replaceAll("_", " "), agent.name.replaceAll("_", "\\_")].map(
        escapeRegExp,
      );
      const count = text.match(new RegExp(`(?<=\\W)(${forms.join("|")})(?=\\W)`, "g"))?.length ?? 0;
      if (count > 0) mentions[agent.name] = count;
    }
    return mentions;
  }

  /** Asks the person to pick the next speaker by number; undefined for no (valid) choice. */
  async manualSelectSpeaker(
    agents: readonly ConversableAgent[] = this.agents,
    signal?: AbortSignal,
  ): Promise<ConversableAgent | undefined> {
    const list = agents.map((a, i) => `${i + 1}: ${a.name}`).join("\n");
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (
        await this.#inputFunc(
          `Please select the next speaker from the following list:\n${list}\n` +
            "Enter the number of the next speaker (nothing or 'q' for automatic selection): ",
          signal,
          { requestId: randomUuid(), messages: [] },
        )
      ).trim();
      if (answer === "" || answer === "q") return undefined;
      const n = Number(answer);
      if (Number.isInteger(n) && n >= 1 && n <= agents.length) return agents[n - 1];
    }
    return undefined;
  }

  /** A random one of `agents` (default all). */
  randomSelectSpeaker(agents: readonly ConversableAgent[] = this.agents): ConversableAgent {
    return agents[Math.floor(this.#random() * agents.length)] as ConversableAgent;
  }

  /**
   * The next speaker after `lastSpeaker`, or undefined when nobody may speak (the selection function
   * returned nothing, or the last speaker has no allowed successor): the chat then ends.
   */
  async selectSpeaker(
    lastSpeaker: ConversableAgent,
    selector: ConversableAgent,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<ConversableAgent | undefined> {
    let method: SpeakerSelectionMethodName;
    if (typeof this.speakerSelectionMethod === "function") {
      const chosen = await this.speakerSelectionMethod(lastSpeaker, this);
      if (chosen === null || chosen === undefined) return undefined;
      if (typeof chosen !== "string") {
        if (!this.agents.includes(chosen)) {
          throw new ValidationError(
            `GroupChat: the selection function chose '${chosen.name}', who is not in the group`,
          );
        }
        return chosen;
      }
      if (!METHODS.includes(chosen.toLowerCase())) {
        throw new ValidationError(`GroupChat: the selection function returned an unknown method "${chosen}"`);
      }
      method = chosen.toLowerCase() as SpeakerSelectionMethodName;
    } else method = this.speakerSelectionMethod;
    if (this.agents.length < 2) {
      throw new ValidationError(
        `GroupChat has ${this.agents.length} agent(s): add more, or have two agents talk directly`,
        { code: "invalid_config" },
      );
    }
    const able = this.#agentsForCall(lastSpeaker);
    if (able?.length === 1) return able[0];
    const inGroup = this.agents.includes(lastSpeaker);
    const allowed = this.allowedSpeakerTransitions.get(lastSpeaker);
    if (inGroup && (allowed === undefined || allowed.length === 0)) return undefined;
    let eligible = inGroup ? this.agents.filter((a) => allowed?.includes(a)) : [...this.agents];
    const canRun = eligible.filter((a) => able?.includes(a));
    if (canRun.length > 0) eligible = canRun;
    if (eligible.length === 1) return eligible[0];
    if (method === "round_robin") return this.nextAgent(lastSpeaker, eligible);
    if (method === "random") return this.randomSelectSpeaker(eligible);
    if (method === "manual") {
      return (
        (await this.manualSelectSpeaker(eligible, options.signal)) ?? this.nextAgent(lastSpeaker, eligible)
      );
    }
    return autoSelectSpeaker(this, lastSpeaker, selector, eligible, options.signal);
  }

  /** After a tool or function call, the agents that can run it (AG2's `func_call_filter`). */
  #agentsForCall(lastSpeaker: ConversableAgent): ConversableAgent[] | undefined {
    const last = this.messages.at(-1);
    if (!this.funcCallFilter || last === undefined) return undefined;
    const names = [
      ...(last.functionCall !== undefined ? [last.functionCall.name] : []),
      ...(last.toolCalls ?? []).map((c) => c.name),
    ];
    if (names.length === 0) return undefined;
    let able = this.agents.filter((a) => a.canExecuteFunction(names));
    if (able.length === 0) able = this.agents.filter((a) => a.functionMap.size > 0);
    if (able.length === 0) {
      throw new ToolError(`GroupChat: no agent can execute the function(s) ${names.join(", ")}`, {
        code: "unknown_tool",
        details: { functions: names, lastSpeaker: lastSpeaker.name },
      });
    }
    return able;
  }

  /** The shared messages and every participant's state. */
  async saveState(): Promise<AgentState> {
    return saveGroupChatState(this);
  }

  /** Restores the shared messages and the participants' states (matched by name). */
  async loadState(state: unknown): Promise<void> {
    await loadGroupChatState(this, state);
  }
}
