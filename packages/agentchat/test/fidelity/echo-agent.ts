/**
 * AutoGen's `_EchoAgent` from its graph and group chat tests: it answers with the first message it is given,
 * or, given none, with the last one it answered.
 */
import { BaseChatAgent, type BaseChatMessage, type Response, TextMessage } from "../../src/index.js";

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
