/**
 * `ScriptedAgent`: the chat-agent test double for teams and runtimes. It answers from a script (text, or
 * a handoff written `->target`), records what it was shown, and can be held mid-turn by a gate.
 */
import { toCancelledError } from "@autogen-ts/core";
import { BaseChatAgent } from "../agents/base-chat-agent.js";
import type { CallOptions, Response } from "../base/types.js";
import type { BaseChatMessage } from "../messages/base.js";
import { HandoffMessage, TextMessage } from "../messages/chat.js";

/** Options of {@link ScriptedAgent}. */
export interface ScriptedAgentOptions {
  /** The agent's name. */
  readonly name: string;
  /** The replies, in order; `->target` hands off to `target` (default: `"<name> done"`). */
  readonly replies?: readonly string[];
  /** What the agent does (default `"scripted <name>"`). */
  readonly description?: string;
  /** Past the last reply: start again from the first (`"cycle"`, the default) or repeat the last (`"last"`). */
  readonly afterLast?: "cycle" | "last";
  /** Whether `onReset` starts the script over (default true). */
  readonly resetRestartsScript?: boolean;
}

/**
 * A chat agent that answers from a script.
 *
 * @example
 * ```ts
 * const a = new ScriptedAgent({ name: "a", replies: ["hello", "->b"] });
 * const result = await new RoundRobinGroupChat({ participants: [a, b], ... }).run({ task: "go" });
 * expect(a.seen[0]).toEqual(["user:go"]);
 * ```
 */
export class ScriptedAgent extends BaseChatAgent {
  /** The replies, in order. */
  readonly replies: readonly string[];
  /** `source:text` of the messages of each turn, in order. */
  readonly seen: string[][] = [];
  /** How many turns the agent has taken since the script (re)started. */
  calls = 0;
  /** How many times the agent was reset. */
  resets = 0;
  /** While set, a turn waits for it (or for cancellation). */
  gate: Promise<void> | undefined;
  /** Called when a turn starts. */
  onStart: (() => void) | undefined;
  readonly #cycle: boolean;
  readonly #restart: boolean;
  readonly #produced: readonly string[];

  constructor(options: ScriptedAgentOptions) {
    super({ name: options.name, description: options.description ?? `scripted ${options.name}` });
    this.replies = options.replies ?? [`${options.name} done`];
    this.#cycle = (options.afterLast ?? "cycle") === "cycle";
    this.#restart = options.resetRestartsScript ?? true;
    this.#produced = this.replies.some((r) => r.startsWith("->"))
      ? ["TextMessage", "HandoffMessage"]
      : ["TextMessage"];
  }

  /** `TextMessage`, and `HandoffMessage` when the script hands off. */
  get producedMessageTypes(): readonly string[] {
    return this.#produced;
  }

  /** Records the messages, waits for the gate if one is set, and gives the next reply of the script. */
  async onMessages(messages: readonly BaseChatMessage[], options?: CallOptions): Promise<Response> {
    this.seen.push(messages.map((m) => `${m.source}:${m.toText()}`));
    this.onStart?.();
    const gate = this.gate;
    if (gate !== undefined) {
      const signal = options?.signal;
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) reject(toCancelledError(signal.reason));
        signal?.addEventListener("abort", () => reject(toCancelledError(signal.reason)), { once: true });
        gate.then(resolve, reject);
      });
    }
    const n = this.replies.length;
    const reply = this.replies[this.#cycle ? this.calls % n : Math.min(this.calls, n - 1)] as string;
    this.calls += 1;
    if (reply.startsWith("->")) {
      const target = reply.slice(2);
      return { chatMessage: new HandoffMessage({ source: this.name, target, content: `over to ${target}` }) };
    }
    return { chatMessage: new TextMessage({ source: this.name, content: reply }) };
  }

  /** Forgets what it was shown; starts the script over unless told not to. */
  async onReset(): Promise<void> {
    this.resets += 1;
    this.seen.length = 0;
    if (this.#restart) this.calls = 0;
  }

  /** Where in the script the agent is. */
  override async saveState(): Promise<{ type: string; version: number; calls: number }> {
    return { type: "ScriptedAgentState", version: 1, calls: this.calls };
  }

  /** Continues the script where a saved agent was. */
  override async loadState(state: unknown): Promise<void> {
    this.calls = (state as { calls: number }).calls;
  }
}
