// Runs the portability scenario and prints one line of JSON (Node, Deno and Bun): where the runtime
// resolved the packages (their built bundles, not the TypeScript sources) and the scenario's summary.
import { runScenario } from "./scenario.mjs";

const resolved = ["@autogen-ts/core", "@autogen-ts/core/testing", "@autogen-ts/agentchat"].map((s) =>
  import.meta.resolve(s),
);
console.log(JSON.stringify({ resolved, summary: await runScenario() }));
