/**
 * A chat agent for team tests: it answers from a script (text, or a handoff written `->target`), records
 * what it was shown, and can be held mid-turn by a gate.
 */
import {
  type BaseAgentMessage,
  BaseChatAgent,
  type BaseChatMessage,
  HandoffMessage,
  type Response,
  type TaskResult,
  TextMessage,
} from "../../src/index.js";

export class ScriptedAgent extends BaseChatAgent {
  readonly producedMessageTypes = ["TextMessage", "HandoffMessage"];
  readonly seen: string[][] = [];
  calls = 0;
  gate: Promise<void> | undefined;

  constructor(
    name: string,
    readonly replies: string[],
    description = `scripted ${name}`,
  ) {
    super({ name, description });
  }

  async onMessages(messages: readonly BaseChatMessage[]): Promise<Response> {
    this.seen.push(messages.map((m) => `${m.source}:${m.toText()}`));
    if (this.gate) await this.gate;
    const reply = this.replies[this.calls % this.replies.length] as string;
    this.calls += 1;
    if (reply.startsWith("->")) {
      const target = reply.slice(2);
      return {
        chatMessage: new HandoffMessage({ source: this.name, target, content: `over to ${target}` }),
      };
    }
    return { chatMessage: new TextMessage({ source: this.name, content: reply }) };
  }

  async onReset(): Promise<void> {
    this.seen.length = 0;
    this.calls = 0;
  }

  override async saveState() {
    return { type: "ScriptedAgentState", version: 1, calls: this.calls };
  }

  override async loadState(state: unknown) {
    this.calls = (state as { calls: number }).calls;
  }
}

/** `source:text` of every message of a result. */
export const texts = (result: TaskResult) => result.messages.map((m) => `${m.source}:${m.toText()}`);

/** Waits until `condition` holds, polling on the event loop. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
}

/** The messages a failed or cancelled run kept, from its error's details. */
export function messagesOf(error: unknown): BaseAgentMessage[] {
  const details = (error as { details?: { messages?: BaseAgentMessage[] } } | undefined)?.details;
  return details?.messages ?? [];
}
