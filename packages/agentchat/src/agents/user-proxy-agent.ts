/**
 * `UserProxyAgent`: a person's seat in a team. On its turn it announces a `UserInputRequestedEvent`, asks
 * its input function for the person's answer and replies with it. The default input function reads a line
 * from the terminal; a web or chat UI passes its own.
 */
import {
  AutogenError,
  CancelledError,
  randomUuid,
  throwIfAborted,
  toCancelledError,
  ValidationError,
} from "@autogen-ts/core";
import type { CallOptions, Response } from "../base/types.js";
import { drainResponse } from "../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { HandoffMessage, TextMessage } from "../messages/chat.js";
import { UserInputRequestedEvent } from "../messages/events.js";
import { BaseChatAgent, type BaseChatAgentOptions } from "./base-chat-agent.js";

/** What an input function is told about the request besides the prompt. */
export interface UserInputRequest {
  /** The id of the `UserInputRequestedEvent` announced for this request. */
  readonly requestId: string;
  /** The messages the agent received on this turn. */
  readonly messages: readonly BaseChatMessage[];
}

/**
 * Gets the person's answer: resolves with their text. It should stop waiting when `signal` aborts (the
 * agent stops waiting for it either way).
 */
export type InputFunc = (
  prompt: string,
  signal: AbortSignal | undefined,
  request: UserInputRequest,
) => string | Promise<string>;

/** Options of {@link UserProxyAgent}. */
export interface UserProxyAgentOptions extends BaseChatAgentOptions {
  /** Gets the person's answer (default {@link terminalInput}: a line typed in the terminal). */
  readonly inputFunc?: InputFunc;
  /** The prompt shown when no handoff supplies one (default `"Enter your response: "`). */
  readonly prompt?: string;
}

/** The minimal view of Node's `process` the terminal reader needs, looked up on `globalThis` at run time. */
interface TerminalProcess {
  readonly stdin: {
    on(event: "data" | "end", listener: (chunk?: unknown) => void): unknown;
    off(event: "data" | "end", listener: (chunk?: unknown) => void): unknown;
    setEncoding(encoding: "utf8"): unknown;
    resume(): unknown;
    pause(): unknown;
  };
  readonly stdout: { write(text: string): unknown };
}

// Text typed ahead of a request (several lines pasted at once) waits here for the next one.
let typedAhead = "";

/**
 * Reads one line from the terminal: writes the prompt to standard output and resolves with the next line
 * of standard input, without its line break. Uses the host's `process` (Node, Bun, Deno) found on
 * `globalThis`, or `prompt()` where there is one (browsers), so that this package imports no Node
 * modules. Rejects with `CancelledError` when `signal` aborts or the input ends.
 */
export function terminalInput(prompt: string, signal?: AbortSignal): Promise<string> {
  const host = (globalThis as { process?: Partial<TerminalProcess> }).process;
  if (host?.stdin === undefined || host.stdout === undefined) {
    const ask = (globalThis as { prompt?: (message: string) => string | null }).prompt;
    if (typeof ask === "function") {
      const answer = ask(prompt);
      return answer === null
        ? Promise.reject(new CancelledError("The user dismissed the prompt"))
        : Promise.resolve(answer);
    }
    return Promise.reject(
      new ValidationError("There is no terminal to read from here: give UserProxyAgent an inputFunc", {
        code: "invalid_config",
      }),
    );
  }
  const { stdin, stdout } = host as TerminalProcess;
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted) {
      reject(toCancelledError(signal.reason));
      return;
    }
    const finish = (error: unknown, line?: string) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      signal?.removeEventListener("abort", onAbort);
      stdin.pause();
      if (error === undefined) resolve(line ?? "");
      else reject(error);
    };
    const takeLine = (): boolean => {
      const end = typedAhead.indexOf("\n");
      if (end < 0) return false;
      const line = typedAhead.slice(0, end).replace(/\r$/, "");
      typedAhead = typedAhead.slice(end + 1);
      finish(undefined, line);
      return true;
    };
    const onData = (chunk?: unknown) => {
      typedAhead += String(chunk ?? "");
      takeLine();
    };
    const onEnd = () => {
      if (typedAhead !== "") {
        const rest = typedAhead;
        typedAhead = "";
        finish(undefined, rest);
      } else finish(new CancelledError("The terminal input ended before an answer was typed"));
    };
    const onAbort = () => finish(toCancelledError(signal?.reason));
    stdout.write(prompt);
    if (takeLine()) return;
    signal?.addEventListener("abort", onAbort, { once: true });
    stdin.setEncoding("utf8");
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
  });
}

/**
 * Stands for a person in a team: on its turn it asks for input and replies with the answer. When the
 * turn comes from a `HandoffMessage` to this agent, the handoff's text is the prompt and the answer is
 * handed back to the agent that asked.
 *
 * @example
 * ```ts
 * // In a web app: resolve the answer when the person submits the form for this request id.
 * const user = new UserProxyAgent({
 *   name: "user",
 *   inputFunc: (prompt, signal, { requestId }) => waitForAnswer(requestId, signal),
 * });
 * ```
 */
export class UserProxyAgent extends BaseChatAgent {
  readonly #inputFunc: InputFunc;
  readonly #prompt: string;

  constructor(options: UserProxyAgentOptions) {
    super({ ...options, description: options.description ?? "A human user." });
    if (options.inputFunc !== undefined && typeof options.inputFunc !== "function") {
      throw new ValidationError(`UserProxyAgent '${this.name}': 'inputFunc' must be a function`);
    }
    this.#inputFunc = options.inputFunc ?? ((prompt, signal) => terminalInput(prompt, signal));
    this.#prompt = options.prompt ?? "Enter your response: ";
  }

  /** A text reply, or a handoff back to the agent that handed over to the user. */
  get producedMessageTypes(): readonly string[] {
    return ["TextMessage", "HandoffMessage"];
  }

  /** Asks for input and returns the reply; the `UserInputRequestedEvent` is in `innerMessages`. */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return drainResponse(this.onMessagesStream(messages, options));
  }

  /** Yields a `UserInputRequestedEvent` (so that a UI knows to ask), waits for the answer, replies. */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const { signal } = options;
    throwIfAborted(signal);
    const last = messages.at(-1);
    // As in AutoGen: a handoff that ends the messages must be addressed to this agent.
    if (last instanceof HandoffMessage && last.target !== this.name) {
      throw new ValidationError(
        `UserProxyAgent '${this.name}' received a handoff addressed to '${last.target}' as its latest message`,
        { code: "invalid_state" },
      );
    }
    const handoff = last instanceof HandoffMessage ? last : undefined;
    const prompt = handoff === undefined ? this.#prompt : `${handoff.content}\n${this.#prompt}`;
    const { journal } = options;
    // In a durable run the request is persisted and may be answered by another process, days later.
    const requestId = journal?.nextRequestId() ?? randomUuid();
    yield new UserInputRequestedEvent({ source: this.name, requestId, content: prompt });
    const ask = () => this.#ask(prompt, signal, { requestId, messages });
    const answer = journal === undefined ? await ask() : await journal.input(prompt, ask);
    const chatMessage =
      handoff === undefined
        ? new TextMessage({ source: this.name, content: answer })
        : new HandoffMessage({ source: this.name, target: handoff.source, content: answer });
    yield { chatMessage };
  }

  /** Calls the input function, and stops waiting for it when `signal` aborts. */
  #ask(prompt: string, signal: AbortSignal | undefined, request: UserInputRequest): Promise<string> {
    const answer = (async () => this.#inputFunc(prompt, signal, request))().then(
      (value) => {
        if (typeof value !== "string") {
          throw new ValidationError(`UserProxyAgent '${this.name}': the input function returned no text`);
        }
        return value;
      },
      (error: unknown) => {
        if (signal?.aborted) throw toCancelledError(signal.reason);
        if (AutogenError.isInstance(error)) throw error;
        // AutoGen's words, so programs that match on them keep working.
        const reason = error instanceof Error ? error.message : String(error);
        throw new AutogenError(
          "internal",
          `UserProxyAgent '${this.name}': Failed to get user input: ${reason}`,
          {
            cause: error,
          },
        );
      },
    );
    if (signal === undefined) return answer;
    return new Promise<string>((resolve, reject) => {
      // Aborted between the request and the wait: no abort event will come.
      if (signal.aborted) {
        reject(toCancelledError(signal.reason));
        return;
      }
      const onAbort = () => reject(toCancelledError(signal.reason));
      signal.addEventListener("abort", onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Nothing to forget. */
  async onReset(): Promise<void> {}
}
