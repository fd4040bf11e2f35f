/**
 * Reading saved state documents: the version check and the shape checks of model messages, shared by the
 * model contexts and the memories so that a corrupt or outdated document fails with one kind of error.
 */
import { ValidationError } from "../errors.js";
import type { FunctionCall, FunctionExecutionResult, LLMMessage, UserContentPart } from "../models/types.js";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function corrupt(what: string, detail: string): ValidationError {
  return new ValidationError(`Cannot load ${what}: ${detail}`, { code: "invalid_state" });
}

/**
 * Checks that `state` is a `type` document of exactly `version` and returns it as an object.
 *
 * @throws {@link ValidationError} (`invalid_state`) naming what is wrong.
 * @internal
 */
export function readStateDocument(state: unknown, type: string, version: number): Json {
  if (!isObject(state)) {
    throw corrupt(type, `expected a JSON object, got ${state === null ? "null" : typeof state}`);
  }
  if (state.type !== type) {
    throw corrupt(type, `the document's "type" is ${JSON.stringify(state.type)}, expected "${type}"`);
  }
  const found = state.version;
  if (typeof found !== "number" || !Number.isInteger(found)) {
    throw corrupt(type, `the document has no integer "version"`);
  }
  if (found < version) {
    throw corrupt(
      type,
      `the document is version ${found}, older than version ${version} that this release reads; ` +
        "save it again with the release that wrote it and convert it, or start afresh",
    );
  }
  if (found > version) {
    throw corrupt(
      type,
      `the document is version ${found}, newer than version ${version} that this release reads; upgrade autogen-ts`,
    );
  }
  return state;
}

function str(value: unknown, path: string, what: string): string {
  if (typeof value !== "string") throw corrupt(what, `${path} should be a string`);
  return value;
}

function userPart(value: unknown, path: string, what: string): UserContentPart {
  if (typeof value === "string") return value;
  if (
    isObject(value) &&
    value.type === "image" &&
    (typeof value.url === "string" || typeof value.data === "string")
  ) {
    return value as unknown as UserContentPart;
  }
  throw corrupt(what, `${path} should be a string or an image with a url or data`);
}

function functionCall(value: unknown, path: string, what: string): FunctionCall {
  if (!isObject(value)) throw corrupt(what, `${path} should be a function call object`);
  return {
    id: str(value.id, `${path}.id`, what),
    name: str(value.name, `${path}.name`, what),
    arguments: str(value.arguments, `${path}.arguments`, what),
  };
}

function executionResult(value: unknown, path: string, what: string): FunctionExecutionResult {
  if (!isObject(value)) throw corrupt(what, `${path} should be a function result object`);
  if (typeof value.isError !== "boolean") throw corrupt(what, `${path}.isError should be a boolean`);
  return {
    content: str(value.content, `${path}.content`, what),
    name: str(value.name, `${path}.name`, what),
    callId: str(value.callId, `${path}.callId`, what),
    isError: value.isError,
  };
}

/**
 * Checks one saved model message and returns a clean copy.
 *
 * @throws {@link ValidationError} (`invalid_state`) naming the path of the bad field.
 * @internal
 */
export function readLLMMessage(value: unknown, path: string, what: string): LLMMessage {
  if (!isObject(value)) throw corrupt(what, `${path} should be a message object`);
  switch (value.type) {
    case "SystemMessage":
      return { type: "SystemMessage", content: str(value.content, `${path}.content`, what) };
    case "UserMessage": {
      const content = Array.isArray(value.content)
        ? value.content.map((part, i) => userPart(part, `${path}.content[${i}]`, what))
        : str(value.content, `${path}.content`, what);
      return { type: "UserMessage", content, source: str(value.source, `${path}.source`, what) };
    }
    case "AssistantMessage": {
      const content = Array.isArray(value.content)
        ? value.content.map((call, i) => functionCall(call, `${path}.content[${i}]`, what))
        : str(value.content, `${path}.content`, what);
      const source = str(value.source, `${path}.source`, what);
      if (value.thought === undefined) return { type: "AssistantMessage", content, source };
      return {
        type: "AssistantMessage",
        content,
        source,
        thought: str(value.thought, `${path}.thought`, what),
      };
    }
    case "FunctionExecutionResultMessage": {
      if (!Array.isArray(value.content)) throw corrupt(what, `${path}.content should be a list of results`);
      return {
        type: "FunctionExecutionResultMessage",
        content: value.content.map((r, i) => executionResult(r, `${path}.content[${i}]`, what)),
      };
    }
    default:
      throw corrupt(what, `${path}.type ${JSON.stringify(value.type)} is not a model message type`);
  }
}

/**
 * Reads a list of saved model messages.
 *
 * @internal
 */
export function readLLMMessages(value: unknown, path: string, what: string): LLMMessage[] {
  if (!Array.isArray(value)) throw corrupt(what, `${path} should be a list of messages`);
  return value.map((m, i) => readLLMMessage(m, `${path}[${i}]`, what));
}
