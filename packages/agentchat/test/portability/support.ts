/**
 * Shared pieces of the portability suite: where the built bundles and the runtimes' binaries are, the
 * check that skips (or fails under CI) when one is missing, a child-process runner, and the facts every
 * runtime's run of the scenario must show.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { requireService } from "../../../core/test/support/services.js";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
/** This folder. */
export const HERE = dirname(fileURLToPath(import.meta.url));

/** The built bundle folders of the portable packages, which this suite runs (`npm run build` makes them). */
export const BUNDLES = ["packages/core/dist/bundle", "packages/agentchat/dist/bundle"].map((d) =>
  join(ROOT, d),
);

/**
 * True when the bundles are built; otherwise prints why the suite is skipped (a failure under CI, where
 * `.ci/run` builds before testing).
 */
export function bundlesBuilt(): boolean {
  const missing = BUNDLES.filter((d) => !existsSync(join(d, "index.js")));
  return requireService(
    "The built core and agentchat bundles",
    missing.length === 0,
    `${missing.join(", ")} (run npm run build)`,
  );
}

/** The path of a runtime binary installed from npm (root devDependencies `deno`, `bun`), when present. */
export function npmBinary(name: string): string {
  return join(ROOT, "node_modules/.bin", name);
}

/** True when `path` exists; otherwise prints why its tests are skipped (a failure under CI). */
export function binaryAvailable(label: string, path: string): boolean {
  return requireService(label, existsSync(path), `${path} (npm ci installs it)`);
}

/** Runs a command to completion and returns its stdout; rejects with its stderr on a non-zero exit. */
export function run(file: string, args: readonly string[], options: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd ?? ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        else resolvePromise(stdout);
      },
    );
  });
}

/** The summary `runScenario` returns (scenario.mjs). */
export interface ScenarioSummary {
  readonly firstRun: RunSummary;
  readonly secondRun: RunSummary;
  readonly badCall: { readonly isError: boolean; readonly text: string };
  readonly historyAfterLoad: number;
  readonly historySawFirstTask: boolean;
  readonly uuid: boolean;
}

interface RunSummary {
  readonly types: readonly string[];
  readonly streamed: string;
  readonly streamedInChunks: boolean;
  readonly resultTypes: readonly string[];
  readonly stopReason: string;
  readonly toolResults: readonly string[];
  readonly idsUnique: boolean;
}

/** What the scenario must show wherever it runs: the tool ran, the model streamed, the state carried over. */
export function expectScenario(summary: ScenarioSummary): void {
  expect(summary.firstRun.resultTypes).toEqual([
    "user:TextMessage",
    "writer:ToolCallRequestEvent",
    "writer:ToolCallExecutionEvent",
    "writer:TextMessage",
    "critic:TextMessage",
  ]);
  expect(summary.firstRun.toolResults).toEqual(["5"]);
  expect(summary.firstRun.streamed).toBe("The sum of 2 and 3 is 5.");
  expect(summary.firstRun.streamedInChunks).toBe(true);
  expect(summary.firstRun.stopReason).toBe("Text 'APPROVE' mentioned");
  expect(summary.firstRun.idsUnique).toBe(true);
  expect(summary.badCall.isError).toBe(true);
  expect(summary.badCall.text).toMatch(/^Error: Invalid arguments: .*"b"/);
  expect(summary.secondRun.resultTypes).toEqual([
    "user:TextMessage",
    "writer:TextMessage",
    "critic:TextMessage",
  ]);
  expect(summary.secondRun.streamed).toBe("Still 5.");
  // system, then the first run's five messages as the writer saw them, then the new task
  expect(summary.historyAfterLoad).toBeGreaterThan(3);
  expect(summary.historySawFirstTask).toBe(true);
  expect(summary.uuid).toBe(true);
}

/** Where a module URL must point: the built bundles. */
export const BUNDLE_URL = /\/packages\/(core|agentchat)\/dist\/bundle\/(testing\/)?index\.js$/;
