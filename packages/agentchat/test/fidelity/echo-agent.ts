/**
 * The test agents of AutoGen's graph and group chat tests, ported: `_EchoAgent` answers with the first message
 * it is given (or, given none, with the last one it answered), and the others below.
 */
import {
  BaseChatAgent,
  type BaseChatMessage,
  HandoffMessage,
  type Response,
  StopMessage,
  TextMessage,
} from "../../src/index.js";

export class EchoAgent extends BaseChatAgent {
  readonly producedMessageTypes = ["TextMessage"];
  totalMessages = 0;
  #last: string | undefined;

  constructor(name: string, description = `Echo agent ${name}`) {
    super({ name, description });
  }

  async onMessages(messages: readonly BaseChatMessage[]): Promise<Response> {
    this.totalMessages += 1;
    const first = messages[0];
    if (first !== undefined) this.#last = first.toText();
    return { chatMessage: new TextMessage({ source: this.name, content: this.#last ?? "" }) };
  }

  async onReset(): Promise<void> {
    this.#last = undefined;
  }
}

/** AutoGen's `_StopAgent`: echoes until its `stopAt`-th turn, then sends a StopMessage "TERMINATE". */
export class StopAgent extends EchoAgent {
  override readonly producedMessageTypes = ["TextMessage", "StopMessage"];
  count = 0;

  constructor(
    name: string,
    readonly stopAt = 1,
  ) {
    super(name);
  }

  override async onMessages(messages: readonly BaseChatMessage[]): Promise<Response> {
    this.count += 1;
    if (this.count < this.stopAt) return super.onMessages(messages);
    return { chatMessage: new StopMessage({ content: "TERMINATE", source: this.name }) };
  }
}

/** AutoGen's `_FlakyAgent`: every turn throws. */
export class FlakyAgent extends BaseChatAgent {
  readonly producedMessageTypes = ["TextMessage"];

  constructor(name: string) {
    super({ name, description: `flaky ${name}` });
  }

  async onMessages(): Promise<Response> {
    throw new Error("I am a flaky agent...");
  }

  async onReset(): Promise<void> {}
}

/** AutoGen's `_HandOffAgent`: always hands off to `next`. */
export class HandOffAgent extends BaseChatAgent {
  readonly producedMessageTypes = ["HandoffMessage"];

  constructor(
    name: string,
    readonly next: string,
  ) {
    super({ name, description: `${name} agent` });
  }

  async onMessages(): Promise<Response> {
    return {
      chatMessage: new HandoffMessage({
        content: `Transferred to ${this.next}.`,
        target: this.next,
        source: this.name,
      }),
    };
  }

  async onReset(): Promise<void> {}
}
