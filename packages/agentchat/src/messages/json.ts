/**
 * Readers for the model-level pieces (function calls, results, images) found inside message JSON forms,
 * each checking the shape and naming the faulty field.
 */
import type { FunctionCall, FunctionExecutionResult, Image } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

function field<T extends "string" | "boolean">(
  record: Record<string, unknown>,
  key: string,
  kind: T,
  where: string,
): T extends "string" ? string : boolean {
  const value = record[key];
  if (typeof value !== kind) throw new ValidationError(`${where}: '${key}' must be a ${kind}`);
  return value as T extends "string" ? string : boolean;
}

/** Reads a list of function calls. */
export function readFunctionCalls(values: readonly unknown[], where: string): FunctionCall[] {
  return values.map((value, i) => {
    const at = `${where}[${i}]`;
    const r = asRecord(value, at);
    return {
      id: field(r, "id", "string", at),
      name: field(r, "name", "string", at),
      arguments: field(r, "arguments", "string", at),
    };
  });
}

/** Reads a list of function execution results. */
export function readResults(values: readonly unknown[], where: string): FunctionExecutionResult[] {
  return values.map((value, i) => {
    const at = `${where}[${i}]`;
    const r = asRecord(value, at);
    return {
      content: field(r, "content", "string", at),
      name: field(r, "name", "string", at),
      callId: field(r, "callId", "string", at),
      isError: field(r, "isError", "boolean", at),
    };
  });
}

/** Reads an image part. */
export function readImage(value: unknown, where: string): Image {
  const r = asRecord(value, where);
  if (r.type !== "image") throw new ValidationError(`${where}: expected a string or an image part`);
  const url = r.url;
  const data = r.data;
  if (typeof url === "string") return { type: "image", url };
  if (typeof data === "string") {
    const mediaType = r.mediaType;
    return typeof mediaType === "string" ? { type: "image", data, mediaType } : { type: "image", data };
  }
  throw new ValidationError(`${where}: an image needs a string 'url' or 'data'`);
}
