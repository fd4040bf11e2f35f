/**
 * How handlers name the messages they accept. A message type is either a class (messages are its
 * instances) or a descriptor built with {@link messageType} for plain-object messages.
 */

/** A class whose instances are messages. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are irrelevant for routing.
export type MessageClass<M> = abstract new (...args: any[]) => M;

/** A named test for plain-object messages. */
export interface MessageTypeDescriptor<M> {
  /** The type's name, used in logs and by the serialization registry. */
  readonly typeName: string;
  /** Whether `value` is a message of this type. */
  is(value: unknown): value is M;
}

/** A message class or a {@link MessageTypeDescriptor}. */
export type MessageType<M> = MessageClass<M> | MessageTypeDescriptor<M>;

/** The message a {@link MessageType} stands for. */
export type MessageOf<T> = T extends MessageType<infer M> ? M : never;

/**
 * Declares a plain-object message type. By default a value is of the type when its `type` field equals
 * `typeName`; pass `is` (for example a zod schema's `safeParse(v).success`) for another test.
 *
 * @example
 * ```ts
 * interface Ping { type: "ping"; n: number }
 * const Ping = messageType<Ping>("ping");
 * ```
 */
export function messageType<M>(typeName: string, is?: (value: unknown) => boolean): MessageTypeDescriptor<M> {
  const test =
    is ??
    ((value: unknown) =>
      typeof value === "object" && value !== null && (value as { type?: unknown }).type === typeName);
  return { typeName, is: test as (value: unknown) => value is M };
}

/** True when `type` is a {@link MessageTypeDescriptor} rather than a class. */
export function isMessageTypeDescriptor<M>(type: MessageType<M>): type is MessageTypeDescriptor<M> {
  return (
    typeof type === "object" && type !== null && typeof (type as MessageTypeDescriptor<M>).is === "function"
  );
}

/** The name of a {@link MessageType}: the descriptor's `typeName`, or the class name. */
export function messageTypeName(type: MessageType<unknown>): string {
  return isMessageTypeDescriptor(type) ? type.typeName : type.name;
}

/** A readable name for a message value, for logs and errors. */
export function describeMessage(message: unknown): string {
  if (message === null) return "null";
  if (typeof message !== "object") return typeof message;
  const tag = (message as { type?: unknown }).type;
  const ctor = (message as object).constructor;
  if (ctor && ctor !== Object) return ctor.name;
  return typeof tag === "string" ? tag : "object";
}
