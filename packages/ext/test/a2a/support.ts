/** Agents served over A2A in the tests: AssistantAgents on the replay client, with a weather tool. */
import { Role } from "@a2a-js/sdk";
import { AssistantAgent } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";

/** A tool call to `lookup`, then a text answer, per turn (`turns` of them). */
export function weatherScript(turns = 1): ReplayResponse[] {
  return Array.from({ length: turns }, (_, i) => [
    { content: [{ id: `call_${i}`, name: "lookup", arguments: `{"city":"City${i}"}` }] },
    `Answer ${i}: sunny.`,
  ]).flat();
}

/** Options of {@link weatherAgent}. */
export interface WeatherAgentOptions {
  /** The scripted model answers (default: one tool-call turn). */
  responses?: ReplayResponse[];
  /** The tool blocks until the run's signal aborts, then calls this. */
  slow?: { started?: () => void; aborted: () => void };
  /** Receives the model client, to read the requests it got. */
  onClient?: (client: ReplayChatCompletionClient) => void;
}

/** An AssistantAgent named weather_agent with a `lookup` tool, on the replay client. */
export function weatherAgent(options: WeatherAgentOptions = {}): AssistantAgent {
  const lookup = new FunctionTool({
    name: "lookup",
    description: "Looks up the weather of a city.",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    run: async (args: { city: string }, { signal }) => {
      if (options.slow) {
        options.slow.started?.();
        if (!signal.aborted) {
          await new Promise<void>((resolve) =>
            signal.addEventListener("abort", () => resolve(), { once: true }),
          );
        }
        options.slow.aborted();
        return "cancelled";
      }
      return `Sunny in ${args.city}`;
    },
  });
  const modelClient = new ReplayChatCompletionClient({ responses: options.responses ?? weatherScript() });
  options.onClient?.(modelClient);
  return new AssistantAgent({
    name: "weather_agent",
    description: "Answers questions about the weather.",
    modelClient,
    tools: [lookup],
    reflectOnToolUse: true,
  });
}

/** Resolves once `resolve` is called; for "the server side saw the abort". */
export function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A fetch that adds `headers` to every request (the client side's credential provider). */
export function withHeaders(headers: Record<string, string>): typeof fetch {
  return (input, init) => {
    const merged = new Headers(init?.headers);
    for (const [k, v] of Object.entries(headers)) merged.set(k, v);
    return fetch(input, { ...init, headers: merged });
  };
}

/** A v1.0 `SendMessage` request with one text part from the user (and a send configuration, if given). */
export function v1Message(text: string, configuration?: Record<string, unknown>) {
  return {
    tenant: "",
    message: {
      messageId: crypto.randomUUID(),
      contextId: "",
      taskId: "",
      role: Role.ROLE_USER,
      parts: [
        {
          content: { $case: "text" as const, value: text },
          mediaType: "text/plain",
          filename: "",
          metadata: undefined,
        },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: configuration as never,
    metadata: undefined,
  };
}
