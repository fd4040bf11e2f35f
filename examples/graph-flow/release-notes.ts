/**
 * The graph-flow quickstart: release notes written, reviewed in a loop until approved, then translated
 * into French and German at the same time, and published once both translations are in.
 *
 *   writer -> reviewer -> writer           (while the reviewer says REVISE)
 *             reviewer -> translator_fr    (when the reviewer says APPROVE)
 *             reviewer -> translator_de    (when the reviewer says APPROVE)
 *   translator_fr, translator_de -> publisher   (a join: waits for both)
 *
 * The translators and the publisher see only what they need, through `MessageFilterAgent`.
 *
 * Offline (scripted replay models): `npx tsx examples/graph-flow/release-notes.ts`.
 * With `OPENAI_API_KEY` set, the same command runs on OpenAI (`OPENAI_MODEL`, default gpt-4o-mini).
 */
import {
  AssistantAgent,
  Console,
  DiGraphBuilder,
  GraphFlow,
  MessageFilterAgent,
} from "@autogen-ts/agentchat";
import type { ChatCompletionClient } from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";

/** The models of the example, one per agent. */
export interface ReleaseNotesModels {
  readonly writer: ChatCompletionClient;
  readonly reviewer: ChatCompletionClient;
  readonly translatorFr: ChatCompletionClient;
  readonly translatorDe: ChatCompletionClient;
  readonly publisher: ChatCompletionClient;
}

/** Builds the flow. */
export function buildReleaseNotesFlow(models: ReleaseNotesModels): GraphFlow {
  const writer = new AssistantAgent({
    name: "writer",
    modelClient: models.writer,
    systemMessage: "You write short release notes (three bullets at most). Apply the reviewer's feedback.",
  });
  const reviewer = new AssistantAgent({
    name: "reviewer",
    modelClient: models.reviewer,
    systemMessage:
      "You review release notes. If they need changes, start with REVISE and say what to change. " +
      "If they are good, answer APPROVE and nothing else.",
  });
  // A translator sees the task and the writer's latest draft only.
  const lastDraft = {
    perSource: [
      { source: "user", position: "first", count: 1 },
      { source: "writer", position: "last", count: 1 },
    ],
  } as const;
  const translator = (name: string, language: string, modelClient: ChatCompletionClient) =>
    new MessageFilterAgent({
      name,
      filter: lastDraft,
      wrappedAgent: new AssistantAgent({
        name,
        modelClient,
        systemMessage: `Translate the latest release notes into ${language}. Answer with the translation only.`,
      }),
    });
  const translatorFr = translator("translator_fr", "French", models.translatorFr);
  const translatorDe = translator("translator_de", "German", models.translatorDe);
  const publisher = new MessageFilterAgent({
    name: "publisher",
    filter: {
      perSource: [
        { source: "writer", position: "last", count: 1 },
        { source: "translator_fr", position: "last", count: 1 },
        { source: "translator_de", position: "last", count: 1 },
      ],
    },
    wrappedAgent: new AssistantAgent({
      name: "publisher",
      modelClient: models.publisher,
      systemMessage: "Put the English, French and German release notes together under one heading each.",
    }),
  });

  const builder = new DiGraphBuilder()
    .addNode(writer)
    .addNode(reviewer)
    .addNode(translatorFr)
    .addNode(translatorDe)
    .addNode(publisher)
    .addEdge(writer, reviewer)
    .addEdge(reviewer, writer, { condition: "REVISE" })
    .addEdge(reviewer, translatorFr, { condition: "APPROVE" })
    .addEdge(reviewer, translatorDe, { condition: "APPROVE" })
    .addEdge(translatorFr, publisher)
    .addEdge(translatorDe, publisher)
    .setEntryPoint(writer);
  // A real model could keep asking for revisions: cap the run.
  return new GraphFlow({ participants: builder.participants, graph: builder.build(), maxTurns: 12 });
}

/** The task. */
export const TASK = "Release notes for version 2.1: faster startup, a dark theme, and a crash fix on export.";

/** The scripted replies for the offline run. */
export const OFFLINE_SCRIPTS: Readonly<Record<keyof ReleaseNotesModels, readonly ReplayResponse[]>> = {
  writer: [
    "- Faster startup\n- Dark theme\n- Fixed a crash",
    "- Starts up to twice as fast\n- New dark theme\n- Exporting no longer crashes",
  ],
  reviewer: ["REVISE: say how much faster, and which crash was fixed.", "APPROVE"],
  translatorFr: [
    "- Démarrage jusqu'à deux fois plus rapide\n- Nouveau thème sombre\n- L'export ne plante plus",
  ],
  translatorDe: [
    "- Bis zu doppelt so schneller Start\n- Neues dunkles Design\n- Export stürzt nicht mehr ab",
  ],
  publisher: [
    "# English\n- Starts up to twice as fast\n- New dark theme\n- Exporting no longer crashes\n\n" +
      "# Français\n- Démarrage jusqu'à deux fois plus rapide\n- Nouveau thème sombre\n- L'export ne plante plus\n\n" +
      "# Deutsch\n- Bis zu doppelt so schneller Start\n- Neues dunkles Design\n- Export stürzt nicht mehr ab",
  ],
};

/** OpenAI when `OPENAI_API_KEY` is set, else the replay client with `script`. */
export function exampleModel(script: readonly ReplayResponse[]): ChatCompletionClient {
  return process.env.OPENAI_API_KEY
    ? new OpenAIChatCompletionClient({ model: process.env.OPENAI_MODEL ?? "gpt-4o-mini" })
    : new ReplayChatCompletionClient(script);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flow = buildReleaseNotesFlow({
    writer: exampleModel(OFFLINE_SCRIPTS.writer),
    reviewer: exampleModel(OFFLINE_SCRIPTS.reviewer),
    translatorFr: exampleModel(OFFLINE_SCRIPTS.translatorFr),
    translatorDe: exampleModel(OFFLINE_SCRIPTS.translatorDe),
    publisher: exampleModel(OFFLINE_SCRIPTS.publisher),
  });
  await Console(flow.runStream({ task: TASK }));
  await flow.close();
}
