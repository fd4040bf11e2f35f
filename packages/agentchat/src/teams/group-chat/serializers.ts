/**
 * Codecs for the messages a group chat's manager and containers exchange, so that a team can run on a
 * distributed runtime: register them on every runtime that hosts part of a team
 * (`runtime.addMessageSerializer(groupChatSerializers())`). Chat messages inside them travel as their
 * `toJSON()` form and are read back through a {@link MessageRegistry}.
 */
import {
  AutogenError,
  JSON_DATA_CONTENT_TYPE,
  type MessageSerializer,
  restoreErrorIdentity,
} from "@autogen-ts/core";
import type { Response, TaskResult } from "../../base/types.js";
import type { BaseAgentMessage, BaseChatMessage, MessageJSON } from "../../messages/base.js";
import type { StopMessage } from "../../messages/chat.js";
import { defaultMessageRegistry, type MessageRegistry } from "../../messages/registry.js";
import { ParticipantFailure } from "./manager.js";
import {
  GroupChatAgentResponse,
  GroupChatError,
  GroupChatMessage,
  GroupChatPause,
  GroupChatRequestPublish,
  GroupChatReset,
  GroupChatResume,
  GroupChatStart,
  GroupChatTeamResponse,
  GroupChatTermination,
} from "./protocol.js";

/** Options of {@link groupChatSerializers}. */
export interface GroupChatSerializersOptions {
  /** Reads chat messages back (default: the default registry); pass one that knows your custom types. */
  readonly registry?: MessageRegistry;
}

/** An error as plain data, and back: name, message and code survive (an autogen-ts error stays one). */
interface ErrorJSON {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly participant?: string;
}

function errorToJSON(error: unknown): ErrorJSON | undefined {
  if (error === undefined) return undefined;
  if (error instanceof ParticipantFailure) {
    return { ...(errorToJSON(error.error) as ErrorJSON), participant: error.participant };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}) };
  }
  return { name: "Error", message: String(error) };
}

function errorFromJSON(json: ErrorJSON | undefined): unknown {
  if (json === undefined) return undefined;
  let error: Error;
  if (json.code !== undefined) {
    error = new AutogenError(json.code as AutogenError["code"], json.message);
  } else {
    error = new Error(json.message);
  }
  // The original class and its identity, so that `X.isInstance` of an autogen-ts error class still holds.
  restoreErrorIdentity(error, json.name);
  return json.participant === undefined ? error : new ParticipantFailure(json.participant, error);
}

/**
 * JSON codecs for every group-chat protocol message, type names prefixed `autogen.groupchat.`.
 *
 * @example
 * ```ts
 * runtime.addMessageSerializer(groupChatSerializers());
 * ```
 */
export function groupChatSerializers(options: GroupChatSerializersOptions = {}): MessageSerializer[] {
  const registry = options.registry ?? defaultMessageRegistry;
  const read = (json: MessageJSON): BaseAgentMessage => registry.fromJSON(json);
  const readAll = (list: readonly MessageJSON[]): BaseAgentMessage[] => list.map(read);
  const codec = <M>(
    type: abstract new (...args: never[]) => M,
    name: string,
    encode: (message: M) => unknown,
    decode: (data: never) => M,
  ): MessageSerializer<M> => ({
    typeName: `autogen.groupchat.${name}`,
    dataContentType: JSON_DATA_CONTENT_TYPE,
    is: (value: unknown): value is M => value instanceof type,
    serialize: (message) => JSON.stringify(encode(message)),
    deserialize: (payload) => decode(JSON.parse(payload) as never),
  });
  const empty = <M>(type: new () => M, name: string) =>
    codec(
      type,
      name,
      () => ({}),
      () => new type(),
    );
  const response = (r: Response) => ({
    chatMessage: r.chatMessage.toJSON(),
    ...(r.innerMessages === undefined ? {} : { innerMessages: r.innerMessages.map((m) => m.toJSON()) }),
  });
  return [
    codec(
      GroupChatStart,
      "Start",
      (m) => ({ messages: m.messages.map((x) => x.toJSON()) }),
      (d: { messages: MessageJSON[] }) => new GroupChatStart(readAll(d.messages) as BaseChatMessage[]),
    ),
    codec(
      GroupChatAgentResponse,
      "AgentResponse",
      (m) => ({ name: m.name, response: response(m.response) }),
      (d: { name: string; response: { chatMessage: MessageJSON; innerMessages?: MessageJSON[] } }) =>
        new GroupChatAgentResponse(d.name, {
          chatMessage: read(d.response.chatMessage) as BaseChatMessage,
          ...(d.response.innerMessages === undefined
            ? {}
            : { innerMessages: readAll(d.response.innerMessages) }),
        }),
    ),
    codec(
      GroupChatTeamResponse,
      "TeamResponse",
      (m) => ({
        name: m.name,
        result: {
          messages: m.result.messages.map((x) => x.toJSON()),
          ...(m.result.stopReason === undefined ? {} : { stopReason: m.result.stopReason }),
        },
      }),
      (d: { name: string; result: { messages: MessageJSON[]; stopReason?: string } }) => {
        const result: TaskResult = {
          messages: readAll(d.result.messages),
          ...(d.result.stopReason === undefined ? {} : { stopReason: d.result.stopReason }),
        };
        return new GroupChatTeamResponse(d.name, result);
      },
    ),
    codec(
      GroupChatMessage,
      "Message",
      (m) => ({ message: m.message.toJSON() }),
      (d: { message: MessageJSON }) => new GroupChatMessage(read(d.message)),
    ),
    codec(
      GroupChatTermination,
      "Termination",
      (m) => ({ stop: m.stop?.toJSON(), error: errorToJSON(m.error) }),
      (d: { stop?: MessageJSON; error?: ErrorJSON }) =>
        new GroupChatTermination(
          d.stop === undefined ? undefined : (read(d.stop) as StopMessage),
          errorFromJSON(d.error),
        ),
    ),
    codec(
      GroupChatError,
      "Error",
      (m) => ({ name: m.name, error: errorToJSON(m.error) }),
      (d: { name: string; error?: ErrorJSON }) => new GroupChatError(d.name, errorFromJSON(d.error)),
    ),
    empty(GroupChatRequestPublish, "RequestPublish"),
    empty(GroupChatReset, "Reset"),
    empty(GroupChatPause, "Pause"),
    empty(GroupChatResume, "Resume"),
  ];
}
