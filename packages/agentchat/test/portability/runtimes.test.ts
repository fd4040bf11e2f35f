/**
 * The built core and agentchat bundles run one team (tools, streaming, saved state) in Node, Deno, Bun
 * and an edge-runtime context, with the same outcome. Deno runs with no permissions at all, and the edge
 * context (`@edge-runtime/vm`, as Vercel's edge functions) has only web globals: no `process`, no
 * `require`, no `Buffer`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BUNDLE_URL,
  binaryAvailable,
  bundlesBuilt,
  expectScenario,
  HERE,
  npmBinary,
  run,
  type ScenarioSummary,
} from "./support.js";

const MAIN = join(HERE, "main.mjs");

interface MainOutput {
  readonly resolved: readonly string[];
  readonly summary: ScenarioSummary;
}

const built = bundlesBuilt();

describe.skipIf(!built)("the built bundles in server runtimes", () => {
  let reference: ScenarioSummary;

  beforeAll(async () => {
    // Plain `node`, without the source condition: it resolves the packages to their bundles.
    const out = JSON.parse(await run(process.execPath, [MAIN])) as MainOutput;
    for (const url of out.resolved) expect(url).toMatch(BUNDLE_URL);
    reference = out.summary;
  });

  it("Node runs the team from the bundles", () => {
    expectScenario(reference);
  });

  const deno = npmBinary("deno");
  it.skipIf(!binaryAvailable("Deno (npm package deno)", deno))(
    "Deno runs it with no permissions, with the same outcome",
    async () => {
      const out = JSON.parse(await run(deno, ["run", "--no-prompt", "--no-lock", MAIN])) as MainOutput;
      for (const url of out.resolved) expect(url).toMatch(BUNDLE_URL);
      expectScenario(out.summary);
      expect(out.summary).toEqual(reference);
    },
  );

  const bun = npmBinary("bun");
  it.skipIf(!binaryAvailable("Bun (npm package bun)", bun))(
    "Bun runs it, with the same outcome",
    async () => {
      const out = JSON.parse(await run(bun, [MAIN])) as MainOutput;
      for (const url of out.resolved) expect(url).toMatch(BUNDLE_URL);
      expectScenario(out.summary);
      expect(out.summary).toEqual(reference);
    },
  );

  it("an edge-runtime context with only web globals runs it, with the same outcome", async () => {
    // An edge function is shipped bundled: the scenario and the packages' bundles (resolved through
    // their exports, without the source condition) become one script.
    const bundled = await build({
      entryPoints: [join(HERE, "scenario.mjs")],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "portability",
      platform: "neutral",
      mainFields: ["module", "main"],
      conditions: ["edge-light", "worker", "import"],
      target: "es2022",
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(bundled.metafile.inputs);
    expect(inputs.some((i) => /packages\/agentchat\/dist\/bundle\//.test(i))).toBe(true);
    expect(inputs.some((i) => /packages\/(core|agentchat)\/src\//.test(i))).toBe(false);

    const vm = new EdgeVM();
    expect(
      vm.evaluate("[typeof process, typeof require, typeof Buffer, typeof crypto.getRandomValues]"),
    ).toEqual(["undefined", "undefined", "undefined", "function"]);
    vm.evaluate(bundled.outputFiles[0]!.text);
    const summary = JSON.parse(
      await vm.evaluate<Promise<string>>("portability.runScenario().then((s) => JSON.stringify(s))"),
    ) as ScenarioSummary;
    expectScenario(summary);
    expect(summary).toEqual(reference);
  });

  it("the scenario itself imports only the public packages", () => {
    const imports = [...readFileSync(join(HERE, "scenario.mjs"), "utf8").matchAll(/from "([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(new Set(imports)).toEqual(
      new Set(["@autogen-ts/agentchat", "@autogen-ts/core", "@autogen-ts/core/testing"]),
    );
  });
});
