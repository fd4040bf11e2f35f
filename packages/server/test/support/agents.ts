/**
 * Agents for the fault tests and the bench: no model, a known number of events of a known size, and a
 * gate that holds the run until the test has its readers in place.
 */
import {
  type BaseAgentMessage,
  BaseChatAgent,
  type BaseChatMessage,
  type Response,
  TextMessage,
  ThoughtEvent,
} from "@autogen-ts/agentchat";

/** Options of {@link FloodAgent}. */
export interface FloodOptions {
  /** Inner events per reply. */
  readonly events: number;
  /** Characters in each event. */
  readonly size?: number;
  /** Resolves when the agent may start (default: at once). */
  readonly gate?: () => Promise<void>;
  /** Time between events in ms (default 0: as fast as the run records them). */
  readonly delayMs?: number;
}

/** Replies with `events` ThoughtEvents of `size` characters, then a TextMessage. */
export class FloodAgent extends BaseChatAgent {
  readonly producedMessageTypes = ["TextMessage"];
  readonly #options: FloodOptions;

  constructor(options: FloodOptions & { name?: string }) {
    super({ name: options.name ?? "flood" });
    this.#options = options;
  }

  async onMessages(): Promise<Response> {
    throw new Error("FloodAgent streams");
  }

  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
  ): AsyncGenerator<BaseAgentMessage | Response> {
    await this.#options.gate?.();
    const pad = "x".repeat(Math.max(0, (this.#options.size ?? 16) - 12));
    for (let i = 1; i <= this.#options.events; i++) {
      if (this.#options.delayMs) await new Promise((r) => setTimeout(r, this.#options.delayMs));
      yield new ThoughtEvent({ source: this.name, content: `${String(i).padStart(10, "0")}: ${pad}` });
    }
    yield {
      chatMessage: new TextMessage({
        source: this.name,
        content: `done with ${messages.at(-1)?.toText() ?? ""}`,
      }),
    };
  }

  async onReset(): Promise<void> {}
}

/** A gate: `wait` resolves once `open` is called. */
export function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait: () => opened, open };
}
