/**
 * The serialization registry: codecs that turn messages into bytes-free JSON text and back, by type
 * name, so that messages can cross a process boundary. In-process delivery never serializes.
 */
import { ValidationError } from "../errors.js";
import { isMessageTypeDescriptor, type MessageType, messageTypeName } from "./message-type.js";

/** The content type of JSON payloads. */
export const JSON_DATA_CONTENT_TYPE = "application/json";

/** A codec for one message type. */
export interface MessageSerializer<M = unknown> {
  /** The name the type travels under (must be the same in every process). */
  readonly typeName: string;
  /** The payload's content type, such as `application/json`. */
  readonly dataContentType: string;
  /** Whether `value` is a message this codec handles. */
  is(value: unknown): value is M;
  /** Encodes a message as text. */
  serialize(message: M): string;
  /** Decodes text made by {@link serialize}. */
  deserialize(payload: string): M;
}

/** A serialized message. */
export interface SerializedMessage {
  readonly typeName: string;
  readonly dataContentType: string;
  readonly data: string;
}

/**
 * A JSON codec for a message type. Class instances are encoded with `JSON.stringify` (so `toJSON` is
 * honoured) and decoded with `fromJSON` (default: the parsed object's fields assigned onto a new
 * instance made without calling the constructor). Plain-object types round-trip as they are.
 */
export function jsonSerializer<M>(
  type: MessageType<M>,
  options: { typeName?: string; fromJSON?: (data: unknown) => M } = {},
): MessageSerializer<M> {
  const typeName = options.typeName ?? messageTypeName(type);
  const is = isMessageTypeDescriptor(type)
    ? (value: unknown): value is M => type.is(value)
    : (value: unknown): value is M => value instanceof type;
  const revive =
    options.fromJSON ??
    (isMessageTypeDescriptor(type)
      ? (data: unknown) => data as M
      : (data: unknown) => Object.assign(Object.create(type.prototype) as object, data) as M);
  return {
    typeName,
    dataContentType: JSON_DATA_CONTENT_TYPE,
    is,
    serialize: (message) => JSON.stringify(message),
    deserialize: (payload) => revive(JSON.parse(payload)),
  };
}

/** Codecs by type name. */
export class SerializationRegistry {
  readonly #byName = new Map<string, MessageSerializer>();

  /** Adds codecs; a second codec for the same type name replaces the first. */
  add(serializer: MessageSerializer | readonly MessageSerializer[]): void {
    const list = Array.isArray(serializer) ? serializer : [serializer as MessageSerializer];
    for (const s of list) this.#byName.set(s.typeName, s);
  }

  /** Whether a codec is known for the type name. */
  has(typeName: string): boolean {
    return this.#byName.has(typeName);
  }

  /** The name of the codec that handles `message`, or undefined. */
  typeNameOf(message: unknown): string | undefined {
    for (const s of this.#byName.values()) if (s.is(message)) return s.typeName;
    return undefined;
  }

  /** Encodes a message; throws a {@link ValidationError} when no codec handles it. */
  serialize(message: unknown): SerializedMessage {
    for (const s of this.#byName.values()) {
      if (s.is(message))
        return { typeName: s.typeName, dataContentType: s.dataContentType, data: s.serialize(message) };
    }
    throw new ValidationError(
      "No serializer handles this message: register one with addMessageSerializer(jsonSerializer(Type))",
    );
  }

  /** Decodes a message; throws a {@link ValidationError} for an unknown type or a content-type mismatch. */
  deserialize(serialized: SerializedMessage): unknown {
    const s = this.#byName.get(serialized.typeName);
    if (!s) throw new ValidationError(`No serializer for message type "${serialized.typeName}"`);
    if (s.dataContentType !== serialized.dataContentType) {
      throw new ValidationError(
        `Message type "${serialized.typeName}" expects ${s.dataContentType}, got ${serialized.dataContentType}`,
      );
    }
    try {
      return s.deserialize(serialized.data);
    } catch (cause) {
      throw new ValidationError(`Could not decode a "${serialized.typeName}" message`, { cause });
    }
  }
}
