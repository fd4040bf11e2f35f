/**
 * Turning JSON forms back into message instances: a registry from `type` to a reader, holding the
 * built-in types, to which applications add their own.
 */
import { ValidationError } from "@autogen-ts/core";
import type { BaseAgentMessage, MessageJSON } from "./base.js";
import {
  HandoffMessage,
  MultiModalMessage,
  StopMessage,
  StructuredMessage,
  TextMessage,
  ToolCallSummaryMessage,
} from "./chat.js";
import {
  CodeExecutionEvent,
  CodeGenerationEvent,
  MemoryQueryEvent,
  ModelClientStreamingChunkEvent,
  SelectSpeakerEvent,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  UserInputRequestedEvent,
} from "./events.js";

/** Reads one JSON form into a message; throws a ValidationError when the document is malformed. */
export type MessageReader = (json: MessageJSON) => BaseAgentMessage;

const BUILTIN_READERS: ReadonlyArray<readonly [string, MessageReader]> = [
  ["TextMessage", (json) => TextMessage.fromJSON(json)],
  ["MultiModalMessage", (json) => MultiModalMessage.fromJSON(json)],
  ["StructuredMessage", (json) => StructuredMessage.fromJSON(json)],
  ["ToolCallSummaryMessage", (json) => ToolCallSummaryMessage.fromJSON(json)],
  ["HandoffMessage", (json) => HandoffMessage.fromJSON(json)],
  ["StopMessage", (json) => StopMessage.fromJSON(json)],
  ["ToolCallRequestEvent", (json) => ToolCallRequestEvent.fromJSON(json)],
  ["ToolCallExecutionEvent", (json) => ToolCallExecutionEvent.fromJSON(json)],
  ["ModelClientStreamingChunkEvent", (json) => ModelClientStreamingChunkEvent.fromJSON(json)],
  ["ThoughtEvent", (json) => ThoughtEvent.fromJSON(json)],
  ["MemoryQueryEvent", (json) => MemoryQueryEvent.fromJSON(json)],
  ["UserInputRequestedEvent", (json) => UserInputRequestedEvent.fromJSON(json)],
  ["SelectSpeakerEvent", (json) => SelectSpeakerEvent.fromJSON(json)],
  ["CodeGenerationEvent", (json) => CodeGenerationEvent.fromJSON(json)],
  ["CodeExecutionEvent", (json) => CodeExecutionEvent.fromJSON(json)],
];

/**
 * Maps a message `type` to the code that reads its JSON form. A new registry knows every built-in type;
 * {@link defaultMessageRegistry} is the one {@link messageFromJSON} uses unless given another.
 *
 * @example
 * ```ts
 * class PollMessage extends BaseChatMessage { readonly type = "PollMessage"; ... static fromJSON(j) { ... } }
 * defaultMessageRegistry.register("PollMessage", PollMessage.fromJSON);
 * const m = messageFromJSON(JSON.parse(text)); // a PollMessage again
 * ```
 */
export class MessageRegistry {
  readonly #readers = new Map<string, MessageReader>();

  constructor() {
    for (const [type, reader] of BUILTIN_READERS) this.#readers.set(type, reader);
  }

  /**
   * Adds a type. Registering a name twice replaces the reader only with `{ replace: true }`; otherwise it
   * is a ValidationError, so that two libraries cannot silently claim one name.
   */
  register(type: string, reader: MessageReader, options: { replace?: boolean } = {}): this {
    if (typeof type !== "string" || type === "")
      throw new ValidationError("A message type needs a non-empty name");
    if (typeof reader !== "function")
      throw new ValidationError(`The reader of message type '${type}' is not a function`);
    if (this.#readers.has(type) && options.replace !== true) {
      throw new ValidationError(
        `Message type '${type}' is already registered (pass { replace: true } to override)`,
      );
    }
    this.#readers.set(type, reader);
    return this;
  }

  /** True when `type` can be read. */
  has(type: string): boolean {
    return this.#readers.has(type);
  }

  /** Every registered type name. */
  types(): string[] {
    return [...this.#readers.keys()];
  }

  /** Reads a JSON form (an object, or JSON text) into a message instance. */
  fromJSON(json: MessageJSON | string): BaseAgentMessage {
    let value: unknown = json;
    if (typeof json === "string") {
      try {
        value = JSON.parse(json);
      } catch (cause) {
        throw new ValidationError("Message JSON is not valid JSON", { cause });
      }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ValidationError("Message JSON must be an object");
    }
    const type = (value as { type?: unknown }).type;
    if (typeof type !== "string") throw new ValidationError("Message JSON has no string 'type'");
    const reader = this.#readers.get(type);
    if (reader === undefined) {
      throw new ValidationError(`Unknown message type '${type}': register it with MessageRegistry.register`, {
        details: { type },
      });
    }
    return reader(value as MessageJSON);
  }
}

/** The registry {@link messageFromJSON} uses by default; register application types here. */
export const defaultMessageRegistry: MessageRegistry = new MessageRegistry();

/**
 * Reads a message's JSON form (as produced by `toJSON()`, or its JSON text) back into an instance of the
 * right class.
 */
export function messageFromJSON(
  json: MessageJSON | string,
  registry: MessageRegistry = defaultMessageRegistry,
): BaseAgentMessage {
  return registry.fromJSON(json);
}
