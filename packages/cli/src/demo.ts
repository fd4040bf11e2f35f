/**
 * `autogen-ts demo`: a two-agent team that uses a tool, streamed to the console. With no key and no
 * `--base-url` it runs on a bundled replay script (no network); with `OPENAI_API_KEY` or `--base-url` (a
 * local Ollama, say) it uses a real model. The first line says which.
 */
import {
  AssistantAgent,
  Console,
  MaxMessageTermination,
  RoundRobinGroupChat,
  TextMentionTermination,
} from "@autogen-ts/agentchat";
import type { ChatCompletionClient } from "@autogen-ts/core";
import { FunctionTool, ToolError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { parseArgs } from "./args.js";
import { EXIT } from "./exit-codes.js";

const TASK =
  "We are 3 people spending 4 nights in Lisbon at 145 EUR per night for the flat. What does each of us pay in USD?";

// Fixed rates keep the demo offline and its output the same on every run.
const RATES: Record<string, number> = { EUR: 1.08, USD: 1, GBP: 1.27, JPY: 0.0067 };

const convertCurrency = new FunctionTool<{ amount: number; from: string; to: string }>({
  name: "convert_currency",
  description: "Converts an amount between currencies (EUR, USD, GBP, JPY) at today's fixed demo rates.",
  parameters: {
    type: "object",
    properties: { amount: { type: "number" }, from: { type: "string" }, to: { type: "string" } },
    required: ["amount", "from", "to"],
  },
  run: ({ amount, from, to }) => {
    const a = RATES[from.toUpperCase()];
    const b = RATES[to.toUpperCase()];
    if (a === undefined || b === undefined)
      throw new ToolError(`unknown currency; use ${Object.keys(RATES).join(", ")}`);
    return `${amount} ${from.toUpperCase()} = ${((amount * a) / b).toFixed(2)} ${to.toUpperCase()}`;
  },
});

function replayModels(): { analyst: ChatCompletionClient; writer: ChatCompletionClient } {
  return {
    analyst: new ReplayChatCompletionClient({
      responses: [
        {
          content: [
            {
              id: "call_1",
              name: "convert_currency",
              arguments: '{"amount": 580, "from": "EUR", "to": "USD"}',
            },
          ],
          thought: "4 nights at 145 EUR is 580 EUR; convert it, then split it three ways.",
        },
        "The flat costs 4 × 145 = 580 EUR, which is 626.40 USD. Split between 3 people: 208.80 USD each.",
      ],
      latencyMs: 15,
    }),
    writer: new ReplayChatCompletionClient({
      responses: [
        "Summary: 580 EUR for the flat (626.40 USD), so each of the 3 travellers pays 208.80 USD. Enjoy Lisbon! TERMINATE",
      ],
      latencyMs: 15,
    }),
  };
}

/** Runs the demo; returns the exit code. */
export async function runDemo(argv: readonly string[] = []): Promise<number> {
  const args = parseArgs(argv, { values: ["model", "base-url"], flags: ["no-color", "verbose"] });
  const baseURL = args.values.get("base-url");
  const live = baseURL !== undefined || Boolean(process.env.OPENAI_API_KEY);
  let models: { analyst: ChatCompletionClient; writer: ChatCompletionClient };
  if (live) {
    const { OpenAIChatCompletionClient } = await import("@autogen-ts/ext/models/openai");
    const model = args.values.get("model") ?? "gpt-4o-mini";
    const client = new OpenAIChatCompletionClient({ model, ...(baseURL ? { baseURL } : {}) });
    models = { analyst: client, writer: client };
    console.log(`autogen-ts demo: a live model (${model}${baseURL ? ` at ${baseURL}` : ""})`);
  } else {
    models = replayModels();
    console.log(
      "autogen-ts demo: replaying a bundled script (no API key, no network; set OPENAI_API_KEY or pass --base-url for a real model)",
    );
  }
  const analyst = new AssistantAgent({
    name: "analyst",
    description: "Does the arithmetic and currency conversion.",
    modelClient: models.analyst,
    tools: [convertCurrency],
    reflectOnToolUse: true,
    modelClientStream: true,
    systemMessage: "You work out travel costs. Use convert_currency for every currency conversion.",
  });
  const writer = new AssistantAgent({
    name: "writer",
    description: "Writes the final answer.",
    modelClient: models.writer,
    modelClientStream: true,
    systemMessage: "Summarise the analyst's result in one or two friendly sentences, then say TERMINATE.",
  });
  const team = new RoundRobinGroupChat({
    participants: [analyst, writer],
    terminationCondition: new TextMentionTermination("TERMINATE").or(new MaxMessageTermination(8)),
  });
  await Console(team.runStream({ task: TASK }), args.flags.has("no-color") ? { color: false } : {});
  return EXIT.ok;
}
