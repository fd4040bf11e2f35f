/**
 * Functions in the classic API: plain functions in a `functionMap` become core `FunctionTool`s, calls run
 * through them inside `execute_tool` spans, and the module-level `registerFunction` offers a function to
 * one agent's model and has another agent execute it (AG2's `register_function`), with a zod or any
 * Standard Schema for the parameters.
 */
import type { FunctionCall, JsonSchema, Tool } from "@autogen-ts/core";
import { FunctionTool, isZodSchema, otel, toolResultText, ValidationError } from "@autogen-ts/core";
import type { TracerProvider } from "@opentelemetry/api";
import { recordError, recordErrorType, runInContext, startToolSpan } from "../tracing/index.js";
import type { ConversableAgent } from "./conversable-agent.js";
import type { ClassicMessage } from "./types.js";

/** A function an agent executes: it gets the parsed arguments and a signal. */
export type ClassicFunction = (
  args: Record<string, unknown>,
  context: { readonly signal: AbortSignal },
) => unknown;

/** A function of a function map, as a core tool that takes any object of arguments. */
export function looseFunctionTool(name: string, fn: ClassicFunction): Tool {
  return new FunctionTool<Record<string, unknown>>({
    name,
    description: `The function ${name}.`,
    parameters: { type: "object" },
    run: (args, { signal }) => fn(args, { signal }),
  });
}

/** Runs a call with `tool` (undefined: not found), the result as an AG2 `function` message. */
export async function executeFunctionCall(
  tool: Tool | undefined,
  call: Pick<FunctionCall, "name" | "arguments">,
  options: {
    readonly callId?: string;
    readonly signal?: AbortSignal;
    readonly tracerProvider?: TracerProvider;
  },
): Promise<{ success: boolean; message: ClassicMessage }> {
  const reply = (content: string, success: boolean) => ({
    success,
    message: { role: "function", name: call.name, content },
  });
  if (tool === undefined) return reply(`Error: Function ${call.name} not found.`, false);
  const scope = startToolSpan(
    call.name,
    options.callId ?? "",
    tool.description,
    otel.active(),
    options.tracerProvider,
  );
  try {
    const result = await runInContext(scope.context, () =>
      tool.call(call.arguments, { signal: options.signal, callId: options.callId }),
    );
    if (result.isError) recordErrorType(scope.span, "tool_error", toolResultText(result));
    return reply(toolResultText(result), !result.isError);
  } catch (error) {
    recordError(scope.span, error);
    throw error;
  } finally {
    scope.span.end();
  }
}

/** The Standard Schema v1 interface (zod, valibot, arktype, ... implement it). */
export interface StandardSchemaV1<Output = unknown> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) =>
      | { readonly value: Output; readonly issues?: undefined }
      | { readonly issues: readonly { readonly message: string; readonly path?: readonly unknown[] }[] }
      | Promise<
          | { readonly value: Output; readonly issues?: undefined }
          | { readonly issues: readonly { readonly message: string; readonly path?: readonly unknown[] }[] }
        >;
    /** Standard JSON Schema, where the library offers it. */
    readonly jsonSchema?: { readonly input?: (options: { target: string }) => JsonSchema };
  };
}

/** Options of {@link registerFunction}. */
export interface RegisterFunctionOptions {
  /** The agent whose model may call it. */
  readonly caller: ConversableAgent;
  /** The agent that runs it when the call arrives. */
  readonly executor: ConversableAgent;
  /** The name the model calls it by (default: the function's name). */
  readonly name?: string;
  /** What it does; the model reads this. */
  readonly description: string;
  /** The arguments: a zod object schema, any Standard Schema, or a JSON Schema of type object. */
  readonly parameters?: StandardSchemaV1 | JsonSchema;
  /** The JSON Schema shown to the model, for a Standard Schema that cannot give one itself. */
  readonly jsonSchema?: JsonSchema;
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof value === "object" && value !== null && "~standard" in value;
}

/** A tool for `fn` with a Standard Schema that is not zod: checked by the schema's own `validate`. */
function standardSchemaTool(
  name: string,
  description: string,
  schema: StandardSchemaV1,
  json: JsonSchema,
  fn: Function,
): Tool {
  return new FunctionTool<Record<string, unknown>>({
    name,
    description,
    parameters: json,
    run: async (args, ctx) => {
      const checked = await schema["~standard"].validate(args);
      if (checked.issues !== undefined) {
        const text = checked.issues
          .map((i) => `${(i.path ?? []).join(".") || "(root)"}: ${i.message}`)
          .join("; ");
        throw new ValidationError(`Invalid arguments: ${text}`);
      }
      return fn(checked.value, ctx);
    },
  });
}

/**
 * Offers `fn` to the caller's model and lets the executor run it (AG2's `register_function`).
 *
 * @example
 * ```ts
 * registerFunction(({ a, b }: { a: number; b: number }) => a + b, {
 *   caller: assistant, executor: userProxy, name: "add", description: "Adds two numbers.",
 *   parameters: z.object({ a: z.number(), b: z.number() }),
 * });
 * ```
 */
export function registerFunction<Args>(
  fn: (args: Args, context: { readonly signal: AbortSignal }) => unknown,
  options: RegisterFunctionOptions,
): Tool {
  if (typeof fn !== "function") throw new ValidationError("registerFunction: fn must be a function");
  const name = options.name ?? fn.name;
  if (name === "") throw new ValidationError("registerFunction: give a name (the function has none)");
  if (typeof options.description !== "string" || options.description === "") {
    throw new ValidationError(`registerFunction '${name}': a description is required`);
  }
  const { parameters = { type: "object", properties: {} } } = options;
  let tool: Tool;
  if (isZodSchema(parameters) || !isStandardSchema(parameters)) {
    tool = new FunctionTool({
      name,
      description: options.description,
      parameters: parameters as JsonSchema,
      run: fn as never,
    });
  } else {
    const json =
      options.jsonSchema ?? parameters["~standard"].jsonSchema?.input?.({ target: "draft-2020-12" });
    if (json === undefined) {
      throw new ValidationError(
        `registerFunction '${name}': this Standard Schema gives no JSON Schema; pass jsonSchema for the model`,
      );
    }
    tool = standardSchemaTool(name, options.description, parameters, json, fn);
  }
  options.caller.registerForLlm(tool);
  options.executor.registerForExecution(tool);
  return tool;
}
