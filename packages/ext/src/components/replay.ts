/**
 * The component definition of the replay model (`autogen_ts.testing.ReplayChatCompletionClient`), so that
 * a team document can run on recorded responses: no key, no network, the same answers every run (evals,
 * examples, CI). AutoGen's `autogen_ext.models.replay.ReplayChatCompletionClient` (`chat_completions`)
 * loads too.
 *
 * Config: `responses` (used in order, one per model call) and/or `scripts`, a list of
 * `{match, responses}`: on its first call the client picks the first script whose `match` occurs
 * (case-insensitively) in the request's user messages, so one team file can answer each task of a
 * suite differently. A response is a string, or `{content, finish_reason?, usage?, thought?}` where
 * `content` is text or a list of `{id, name, arguments}` function calls.
 */
import type {
  ChatCompletionClient,
  ComponentDefinition,
  CreateOptions,
  CreateResult,
  FinishReason,
  FunctionCall,
  JsonSchema,
  LLMMessage,
  ModelInfo,
  RequestUsage,
  ToolSchema,
} from "@autogen-ts/core";
import { compact, MODEL_INFO_SCHEMA, ModelError, modelInfoFromConfig } from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";

/** One script of a {@link ScriptedReplayClient}: used when `match` occurs in the task. */
export interface ReplayScript {
  /** Text looked for, case-insensitively, in the user messages of the first request. */
  readonly match: string;
  readonly responses: readonly ReplayResponse[];
}

/** Options of {@link ScriptedReplayClient}. */
export interface ScriptedReplayClientOptions {
  /** The name reported as the model (usage per model, spans); default `replay`. */
  readonly model?: string;
  /** Responses used when no script matches (or when there are no scripts). */
  readonly responses?: readonly ReplayResponse[];
  /** Scripts chosen by the task on the first call. */
  readonly scripts?: readonly ReplayScript[];
  readonly modelInfo?: Partial<ModelInfo>;
}

function userText(messages: readonly LLMMessage[]): string {
  const parts: string[] = [];
  for (const m of messages) {
    if (m.type !== "UserMessage") continue;
    if (typeof m.content === "string") parts.push(m.content);
    else for (const p of m.content) if (typeof p === "string") parts.push(p);
  }
  return parts.join("\n").toLowerCase();
}

/**
 * A replay model that picks its script from the task: a {@link ReplayChatCompletionClient} per script,
 * chosen on the first call and kept for the client's life (a fresh team per task gets a fresh client).
 */
export class ScriptedReplayClient implements ChatCompletionClient {
  readonly modelInfo: ModelInfo;
  /** The model name reported in usage and spans. */
  readonly model: string;
  readonly #options: ScriptedReplayClientOptions;
  #chosen: ReplayChatCompletionClient | undefined;
  readonly #fallback: ReplayChatCompletionClient;

  constructor(options: ScriptedReplayClientOptions) {
    this.#options = options;
    this.model = options.model ?? "replay";
    this.#fallback = new ReplayChatCompletionClient({
      responses: options.responses ?? [],
      ...(options.modelInfo === undefined ? {} : { modelInfo: options.modelInfo }),
    });
    this.modelInfo = this.#fallback.modelInfo;
  }

  #pick(messages: readonly LLMMessage[]): ReplayChatCompletionClient {
    if (this.#chosen !== undefined) return this.#chosen;
    const text = userText(messages);
    const script = this.#options.scripts?.find((s) => text.includes(s.match.toLowerCase()));
    if (script === undefined && (this.#options.responses ?? []).length === 0) {
      throw new ModelError(
        "replay_exhausted",
        `ReplayChatCompletionClient: no script matches the task (scripts: ${
          this.#options.scripts?.map((s) => JSON.stringify(s.match)).join(", ") ?? "none"
        }) and there are no default responses`,
      );
    }
    this.#chosen =
      script === undefined
        ? this.#fallback
        : new ReplayChatCompletionClient({
            responses: script.responses,
            ...(this.#options.modelInfo === undefined ? {} : { modelInfo: this.#options.modelInfo }),
          });
    return this.#chosen;
  }

  create(messages: readonly LLMMessage[], options?: CreateOptions): Promise<CreateResult> {
    try {
      return this.#pick(messages).create(messages, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  createStream(
    messages: readonly LLMMessage[],
    options?: CreateOptions,
  ): AsyncIterable<string | CreateResult> {
    return this.#pick(messages).createStream(messages, options);
  }

  actualUsage(): RequestUsage {
    return (this.#chosen ?? this.#fallback).actualUsage();
  }

  totalUsage(): RequestUsage {
    return (this.#chosen ?? this.#fallback).totalUsage();
  }

  countTokens(messages: readonly LLMMessage[], options?: { tools?: readonly ToolSchema[] }): number {
    return this.#fallback.countTokens(messages, options);
  }

  remainingTokens(messages: readonly LLMMessage[], options?: { tools?: readonly ToolSchema[] }): number {
    return this.#fallback.remainingTokens(messages, options);
  }

  async close(): Promise<void> {}

  /** The options it was built with (for dumps). */
  get options(): ScriptedReplayClientOptions {
    return this.#options;
  }
}

const RESPONSE_SCHEMA: JsonSchema = {
  anyOf: [
    { type: "string" },
    {
      type: "object",
      required: ["content"],
      properties: {
        content: {
          anyOf: [
            { type: "string" },
            {
              type: "array",
              items: {
                type: "object",
                required: ["name", "arguments"],
                properties: { id: { type: "string" }, name: { type: "string" }, arguments: {} },
              },
            },
          ],
        },
        finish_reason: { type: "string" },
        thought: { type: "string" },
        cached: { type: "boolean" },
        usage: {
          type: "object",
          properties: {
            prompt_tokens: { type: "integer", minimum: 0 },
            completion_tokens: { type: "integer", minimum: 0 },
            cost_usd: { type: "number", minimum: 0 },
          },
        },
      },
    },
  ],
};

/** Reads one response of the config (snake_case, as AutoGen writes a `CreateResult`). */
function readResponse(raw: unknown, where: string): ReplayResponse {
  if (typeof raw === "string") return raw;
  const r = raw as Record<string, unknown>;
  const content = Array.isArray(r.content)
    ? (r.content as Record<string, unknown>[]).map(
        (c, i): FunctionCall => ({
          id: typeof c.id === "string" ? c.id : `${where}_call_${i}`,
          name: String(c.name),
          // AutoGen writes arguments as a JSON string; an object is accepted for hand-written files.
          arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments ?? {}),
        }),
      )
    : String(r.content);
  const usage = r.usage as Record<string, unknown> | undefined;
  return {
    content,
    ...compact({
      finishReason: r.finish_reason as FinishReason | undefined,
      thought: r.thought as string | undefined,
      cached: r.cached as boolean | undefined,
      usage:
        usage === undefined
          ? undefined
          : compact({
              promptTokens: Number(usage.prompt_tokens ?? 0),
              completionTokens: Number(usage.completion_tokens ?? 0),
              costUsd: usage.cost_usd as number | undefined,
            }),
    }),
  } as ReplayResponse;
}

function writeResponse(response: ReplayResponse): unknown {
  if (typeof response === "string") return response;
  return compact({
    content: response.content,
    finish_reason: response.finishReason,
    thought: response.thought,
    cached: response.cached,
    usage:
      response.usage === undefined
        ? undefined
        : compact({
            prompt_tokens: response.usage.promptTokens,
            completion_tokens: response.usage.completionTokens,
            cost_usd: response.usage.costUsd,
          }),
  });
}

/** `autogen_ts.testing.ReplayChatCompletionClient`: recorded responses, optionally one script per task. */
export const replayDefinition: ComponentDefinition<ScriptedReplayClient> = {
  classes: [ScriptedReplayClient],
  provider: "autogen_ts.testing.ReplayChatCompletionClient",
  aliases: ["autogen_ext.models.replay.ReplayChatCompletionClient"],
  componentType: "model",
  componentVersion: 1,
  description: "A model that replays recorded responses (tests, evals, examples): no key, no network.",
  label: "ReplayChatCompletionClient",
  schema: {
    type: "object",
    properties: {
      model: { type: "string" },
      // `--base-url` sets this on every model of a file; a replay model sends nothing, so it is ignored.
      base_url: { type: "string" },
      responses: { type: "array", items: RESPONSE_SCHEMA },
      chat_completions: { type: "array", items: RESPONSE_SCHEMA },
      scripts: {
        type: "array",
        items: {
          type: "object",
          required: ["match", "responses"],
          properties: { match: { type: "string" }, responses: { type: "array", items: RESPONSE_SCHEMA } },
        },
      },
      model_info: MODEL_INFO_SCHEMA,
    },
  },
  load(config) {
    const list = (config.responses ?? config.chat_completions ?? []) as unknown[];
    const scripts = (config.scripts ?? []) as { match: string; responses: unknown[] }[];
    return new ScriptedReplayClient({
      ...compact({
        model: config.model as string | undefined,
        modelInfo: modelInfoFromConfig(config.model_info),
      }),
      responses: list.map((r, i) => readResponse(r, `r${i}`)),
      scripts: scripts.map((s, j) => ({
        match: s.match,
        responses: s.responses.map((r, i) => readResponse(r, `s${j}_${i}`)),
      })),
    });
  },
  dump(client) {
    const o = client.options;
    return compact({
      model: o.model,
      responses: o.responses?.map(writeResponse),
      scripts: o.scripts?.map((s) => ({ match: s.match, responses: s.responses.map(writeResponse) })),
    });
  },
};

/** The definitions this module contributes. */
export const definitions: readonly ComponentDefinition<unknown>[] = [
  replayDefinition as ComponentDefinition<unknown>,
];
