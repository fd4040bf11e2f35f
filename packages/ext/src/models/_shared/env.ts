/**
 * The environment variables the model clients read, named in one place: which provider declares which
 * variable, and the one function that reads them. Nothing else in the model clients touches
 * `process.env`, so what a client may pick up from its environment can be read off this table.
 */

/** The variables each provider's client reads, by what they hold. */
export const MODEL_ENV = {
  openai: { apiKey: "OPENAI_API_KEY", baseURL: "OPENAI_BASE_URL" },
  azure: {
    apiKey: "AZURE_OPENAI_API_KEY",
    endpoint: "AZURE_OPENAI_ENDPOINT",
    apiVersion: "OPENAI_API_VERSION",
  },
  anthropic: { apiKey: "ANTHROPIC_API_KEY" },
  ollama: { baseURL: "OLLAMA_HOST" },
} as const;

/** A provider of {@link MODEL_ENV}. */
export type ModelEnvProvider = keyof typeof MODEL_ENV;

/**
 * The value of `name` where there is a `process` (Node, Bun, Deno); undefined elsewhere (browsers,
 * edge runtimes) and for an empty value.
 */
export function readEnv(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = p?.env?.[name];
  return value === "" ? undefined : value;
}

/** Every API key variable of {@link MODEL_ENV}, for masking whatever a client was given. */
export function envApiKeys(): (string | undefined)[] {
  return Object.values(MODEL_ENV).map((vars) => readEnv((vars as { apiKey?: string }).apiKey));
}
