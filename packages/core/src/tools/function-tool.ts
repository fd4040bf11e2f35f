/**
 * `FunctionTool`: a tool made from a name, a description, a parameter schema (any Standard Schema, such
 * as zod 3 or 4, valibot or ArkType, or a plain JSON Schema) and an async function. It gives providers the JSON Schema they need, checks the model's arguments, and turns
 * every mistake the model can fix (bad JSON, invalid arguments, a failing implementation) into an error
 * result the model reads, never an exception that ends the run.
 */
import { raceAbort } from "../async.js";
import { CancelledError, toCancelledError, ValidationError } from "../errors.js";
import { dropNullOptionals, tidy, toStrictJsonSchema } from "./json-schema.js";
import { jsonSchemaValidator } from "./json-schema-validator.js";
import {
  isStandardSchema,
  type StandardSchemaV1,
  standardJsonSchema,
  validateStandard,
} from "./standard-schema.js";
import type {
  JsonSchema,
  Tool,
  ToolCallOptions,
  ToolResult,
  ToolResultContent,
  ToolSchema,
} from "./types.js";
import { describeValidationError } from "./validation.js";

/** What a tool implementation receives besides its arguments. */
export interface FunctionToolContext {
  /** Aborts when the call is cancelled; pass it on to `fetch` and other cancellable work. */
  readonly signal: AbortSignal;
  /** The model's id for this call, where there is one. */
  readonly callId: string | undefined;
}

/**
 * Options of {@link FunctionTool}. `Args` is inferred from a Standard Schema (zod, valibot, ArkType, ...);
 * with a JSON Schema the arguments are a plain record.
 */
export interface FunctionToolOptions<Args> {
  /** The name the model calls it by: letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** What the tool does and when to use it; the model reads this. */
  readonly description: string;
  /**
   * The arguments: an object schema of any Standard Schema library (zod 3 or 4, valibot, ArkType, ...),
   * which checks the model's arguments with your own copy of that library, or a JSON Schema of type
   * `object`.
   */
  readonly parameters: StandardSchemaV1<unknown, Args> | JsonSchema;
  /**
   * The JSON Schema shown to the model, for a Standard Schema that cannot produce one itself (zod 3:
   * `zodToJsonSchema` from `zod-to-json-schema`; valibot: `toJsonSchema` from `@valibot/to-json-schema`,
   * or wrap the schema in its `toStandardJsonSchema`). zod 4 and ArkType need none.
   */
  readonly jsonSchema?: JsonSchema;
  /**
   * The implementation. Its return value becomes the result: a string as it is, an array of
   * {@link ToolResultContent} parts as they are, anything else as JSON.
   */
  readonly run: (args: Args, context: FunctionToolContext) => unknown;
  /**
   * Emit a strict-mode schema (every property required, optional ones nullable, no extra properties),
   * which OpenAI enforces when decoding. Default false.
   */
  readonly strict?: boolean;
  /**
   * Whether running a call twice is harmless (default true). Say false for a tool with effects that must
   * not happen twice (a payment, an email): a durable run that died during the call then tells the model
   * instead of calling it again.
   */
  readonly idempotent?: boolean;
  /** Whether each call must be approved before it runs (default false; see {@link Tool.needsApproval}). */
  readonly needsApproval?: boolean;
}

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** A never-aborting signal for calls made without one. */
const NEVER = new AbortController().signal;

function isContentParts(value: unknown): value is ToolResultContent[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (p) =>
        typeof p === "object" &&
        p !== null &&
        ((p.type === "text" && typeof p.text === "string") ||
          (p.type === "image" && typeof p.data === "string" && typeof p.mediaType === "string")),
    )
  );
}

/** Turns whatever a tool returned into result parts. */
export function toResultContent(value: unknown): ToolResultContent[] {
  if (typeof value === "string") return [{ type: "text", text: value }];
  if (isContentParts(value)) return value;
  if (value === undefined) return [{ type: "text", text: "" }];
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return [{ type: "text", text }];
}

/**
 * A tool backed by a TypeScript function.
 *
 * @example
 * ```ts
 * const weather = new FunctionTool({
 *   name: "get_weather",
 *   description: "The current weather in a city.",
 *   parameters: z.object({ city: z.string(), unit: z.enum(["c", "f"]).optional() }),
 *   run: async ({ city, unit }, { signal }) => fetchWeather(city, unit ?? "c", signal),
 * });
 * ```
 */
export class FunctionTool<Args = Record<string, unknown>> implements Tool {
  readonly name: string;
  readonly description: string;
  /** The schema given to the model (strict-mode form when `strict` is set). */
  readonly schema: ToolSchema;
  /** The Standard Schema; for a JSON Schema, a validator made from it at the first call (loaded lazily). */
  #validator: StandardSchemaV1 | Promise<StandardSchemaV1 | undefined> | undefined;
  readonly #looseSchema: JsonSchema;
  readonly #strict: boolean;
  readonly #run: (args: Args, context: FunctionToolContext) => unknown;
  /** Whether a call may run twice (see {@link FunctionToolOptions.idempotent}). */
  readonly idempotent: boolean;
  /** Whether each call must be approved before it runs (see {@link FunctionToolOptions.needsApproval}). */
  readonly needsApproval: boolean;

  constructor(options: FunctionToolOptions<Args>) {
    if (!NAME_PATTERN.test(options.name)) {
      throw new ValidationError(
        `Tool name "${options.name}" is not valid: use 1 to 64 letters, digits, "_" or "-"`,
      );
    }
    this.name = options.name;
    this.description = options.description;
    this.#strict = options.strict ?? false;
    this.#run = options.run;
    this.idempotent = options.idempotent ?? true;
    this.needsApproval = options.needsApproval ?? false;
    const { parameters } = options;
    if (isStandardSchema(parameters)) {
      const given = options.jsonSchema === undefined ? undefined : (tidy(options.jsonSchema) as JsonSchema);
      const json = given ?? standardJsonSchema(parameters);
      if (json === undefined) {
        throw new ValidationError(
          `The parameters of tool "${options.name}" are a ${parameters["~standard"].vendor} schema that cannot ` +
            "produce JSON Schema itself: pass `jsonSchema` (zod 3: zodToJsonSchema from zod-to-json-schema; " +
            "valibot: toJsonSchema from @valibot/to-json-schema, or wrap the schema in its toStandardJsonSchema)",
        );
      }
      this.#looseSchema = json;
      this.#validator = parameters;
    } else {
      this.#looseSchema = options.jsonSchema ?? parameters;
    }
    if (this.#looseSchema.type !== "object") {
      throw new ValidationError(`The parameters of tool "${options.name}" must be an object schema`);
    }
    const parametersOut = this.#strict ? toStrictJsonSchema(this.#looseSchema) : this.#looseSchema;
    this.schema = {
      name: this.name,
      description: this.description,
      parameters: parametersOut,
      ...(this.#strict ? { strict: true } : {}),
    };
  }

  /** The implementation given to the constructor (read by `dumpComponent` to write its source). */
  get implementation(): (args: Args, context: FunctionToolContext) => unknown {
    return this.#run;
  }

  /** The parameter schema as given (before the strict-mode rewrite), as JSON Schema. */
  get parameters(): JsonSchema {
    return this.#looseSchema;
  }

  /**
   * Runs the tool on the model's arguments (raw JSON text or a parsed object). Bad JSON, invalid
   * arguments and a throwing implementation give a result with `isError: true`.
   *
   * @throws {@link CancelledError} when `options.signal` aborts before or during the call.
   */
  async call(
    args: string | Readonly<Record<string, unknown>>,
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const signal = options.signal ?? NEVER;
    if (signal.aborted) throw toCancelledError(signal.reason);

    let value: unknown;
    if (typeof args === "string") {
      const text = args.trim();
      try {
        value = text === "" ? {} : JSON.parse(text);
      } catch (e) {
        return this.#error(`Invalid JSON in the arguments: ${(e as Error).message}. Send a JSON object.`);
      }
    } else {
      value = args;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return this.#error("The arguments must be a JSON object.");
    }
    if (this.#strict) value = dropNullOptionals(value, this.#looseSchema);

    let parsed: Args = value as Args;
    this.#validator ??= jsonSchemaValidator(this.#looseSchema);
    const validator = await this.#validator;
    if (validator) {
      const check = await validateStandard(validator, value);
      if (!check.ok) return this.#error(`Invalid arguments: ${describeValidationError(check)}`);
      parsed = check.value as Args;
    }

    try {
      const work = Promise.resolve().then(() => this.#run(parsed, { signal, callId: options.callId }));
      // A signal nobody can abort needs no race (the common case: no signal given).
      const out = await (signal === NEVER ? work : raceAbort(work, signal));
      return { name: this.name, result: toResultContent(out), isError: false };
    } catch (e) {
      if (signal.aborted) throw toCancelledError(signal.reason);
      if (CancelledError.isInstance(e)) throw e;
      return this.#error(
        e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e),
      );
    }
  }

  #error(message: string): ToolResult {
    return { name: this.name, result: [{ type: "text", text: `Error: ${message}` }], isError: true };
  }
}
