/**
 * `autogen-ts eval` as a real child process on the example suite (examples/evals/, a replayed model):
 * two runs write identical result files, the threshold sets the exit code, a re-run skips recorded
 * trials, `score` re-scores stored trials (from a folder and from a store), `compare` prints a per-item
 * diff, and bad input is a usage error naming the problem.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./support.js";

const EXAMPLE = new URL("../../../examples/evals/", import.meta.url).pathname;
const TASKS = join(EXAMPLE, "tasks.jsonl");
const BASE = [
  "eval",
  "run",
  TASKS,
  "--team",
  join(EXAMPLE, "team.json"),
  "--judge",
  join(EXAMPLE, "judge.json"),
  "--allow-code",
  "--repeat",
  "2",
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-eval-"));
});

const read = (d: string, f: string) => readFile(join(d, f), "utf8");
const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("autogen-ts eval run", () => {
  it("writes identical trials.jsonl and summary.json on two runs of a replayed suite, in parallel or not", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    const first = await cli([...BASE, "--parallel", "3", "--out", a]);
    expect(first.stderr).not.toContain("Error");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("pass rate 80.0% (8/10 trials, 5 tasks)");
    const second = await cli([...BASE, "--parallel", "1", "--out", b]);
    expect(second.code).toBe(0);
    expect(await read(b, "trials.jsonl")).toBe(await read(a, "trials.jsonl"));
    expect(await read(b, "summary.json")).toBe(await read(a, "summary.json"));

    const trials = lines(await read(a, "trials.jsonl"));
    expect(trials).toHaveLength(10);
    expect(trials.map((t) => `${t.taskId}#${t.trial}`).slice(0, 4)).toEqual([
      "multiply#0",
      "multiply#1",
      "capital#0",
      "capital#1",
    ]);
    const multiply = trials[0] as Record<string, unknown>;
    expect(multiply).toMatchObject({ taskId: "multiply", trial: 0, score: 1, passed: true, error: null });
    expect(multiply.toolCalls).toEqual([
      {
        agent: "researcher",
        name: "multiply",
        arguments: '{"a": 17, "b": 23}',
        result: "391",
        isError: false,
      },
    ]);
    // Nothing volatile in the record: no message ids or times.
    expect(JSON.stringify(trials)).not.toMatch(/"createdAt"|"id":"[0-9a-f]{8}-/);
    const haiku = trials.find((t) => t.taskId === "haiku") as {
      scores: { scorer: string; reason: string }[];
    };
    expect(haiku.scores[0]).toMatchObject({
      scorer: "judge",
      score: 0.9,
      passed: true,
      reason: expect.stringContaining("autumn"),
    });
    const mountain = trials.find((t) => t.taskId === "mountain");
    expect(mountain).toMatchObject({ passed: false, score: 0 });

    const summary = JSON.parse(await read(a, "summary.json"));
    expect(summary).toMatchObject({ tasks: 5, trials: 10, passRate: 0.8, passAtK: { "1": 0.8, "2": 0.8 } });
    expect(summary.byAgent.researcher).toMatchObject({ toolCalls: 2, calls: 10 });
    expect(summary.byAgent.writer.costUsd).toBeGreaterThan(0);
    // The volatile side is kept apart, one line per trial.
    const timings = lines(await read(a, "timings.jsonl"));
    expect(timings).toHaveLength(10);
    expect(timings[0]).toMatchObject({ taskId: "multiply", trial: 0, latencyMs: expect.any(Number) });
  });

  it("exits 5 below --threshold and 0 at or above it", async () => {
    const out = join(dir, "threshold");
    const below = await cli([...BASE, "--out", out, "--threshold", "0.9"]);
    expect(below.code).toBe(5);
    expect(below.stderr).toContain("below --threshold 0.9");
    const above = await cli([...BASE, "--out", out, "--threshold", "0.8"]);
    expect(above.code).toBe(0);
  });

  it("skips the trials already recorded and ends with the same files", async () => {
    const full = join(dir, "full");
    await cli([...BASE, "--out", full]);
    const part = join(dir, "part");
    await cli([...BASE, "--out", part]);
    const kept = (await read(part, "trials.jsonl")).trim().split("\n").slice(0, 3);
    // A run killed while appending: three whole lines and a cut one.
    await writeFile(join(part, "trials.jsonl"), `${kept.join("\n")}\n{"taskId":"cap`);
    const again = await cli([...BASE, "--out", part]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("3 trial(s) already in");
    expect((again.stderr.match(/^(pass|FAIL)/gm) ?? []).length).toBe(7);
    expect(await read(part, "trials.jsonl")).toBe(await read(full, "trials.jsonl"));
  });

  it("refuses a bad task file, naming its line", async () => {
    const bad = join(dir, "bad.jsonl");
    await writeFile(bad, '{"id":"a","task":"x"}\n{"id":"b"}\n');
    const run = await cli([
      "eval",
      "run",
      bad,
      "--team",
      join(EXAMPLE, "team.json"),
      "--out",
      join(dir, "bad"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bad.jsonl:2: 'task' must be a non-empty string");
    await writeFile(bad, '{"id":"a","task":"x","scorers":[{"type":"nope"}]}\n');
    const unknown = await cli([
      "eval",
      "run",
      bad,
      "--team",
      join(EXAMPLE, "team.json"),
      "--out",
      join(dir, "bad"),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown scorer type");
  });

  it("needs --allow-code for the team's tool source and for a scorer module", async () => {
    const judge = ["--judge", join(EXAMPLE, "judge.json")];
    const noCode = await cli([
      "eval",
      "run",
      TASKS,
      "--team",
      join(EXAMPLE, "team.json"),
      ...judge,
      "--out",
      join(dir, "nocode"),
    ]);
    expect(noCode.code).toBe(2);
    expect(noCode.stderr).toMatch(/carries code/);
    const mod = await cli([
      "eval",
      "run",
      TASKS,
      "--team",
      join(EXAMPLE, "team.json"),
      "--out",
      join(dir, "nocode"),
      "--scorer-module",
      join(dir, "x.mjs"),
    ]);
    expect(mod.code).toBe(2);
    expect(mod.stderr).toContain("--scorer-module runs the module's code");
  });

  it("a judge task without --judge is a usage error before anything runs", async () => {
    const run = await cli([
      "eval",
      "run",
      TASKS,
      "--team",
      join(EXAMPLE, "team.json"),
      "--allow-code",
      "--out",
      join(dir, "nojudge"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("needs a judge model (--judge judge.json)");
  });
});

describe("autogen-ts eval score and compare", () => {
  it("re-scores a results folder with changed tasks, and compare shows each changed trial", async () => {
    const a = join(dir, "score-a");
    expect((await cli([...BASE, "--out", a])).code).toBe(0);
    // The expected answer of "capital" changes, "mountain" now accepts Mount Kenya: no run is made.
    const tasks = (await readFile(TASKS, "utf8"))
      .replace('"expected": "canberra"', '"expected": "Sydney"')
      .replace('"expected": "Kilimanjaro"', '"expected": "Mount Kenya"');
    const changed = join(dir, "changed.jsonl");
    await writeFile(changed, tasks);
    const b = join(dir, "score-b");
    const score = await cli([
      "eval",
      "score",
      changed,
      "--from",
      a,
      "--out",
      b,
      "--judge",
      join(EXAMPLE, "judge.json"),
    ]);
    expect(score.code).toBe(0);
    expect(score.stdout).toContain("pass rate 80.0% (8/10 trials");
    expect(score.stderr).not.toMatch(/^pass /m);
    const compare = await cli(["eval", "compare", a, b]);
    expect(compare.code).toBe(0);
    expect(compare.stdout).toContain("broken  capital#0\tpass 1.00 -> FAIL 0.00");
    expect(compare.stdout).toContain("fixed   mountain#1\tFAIL 0.00 -> pass 1.00");
    expect(compare.stdout).toContain("2 fixed, 2 broken, 0 changed, 6 same");
    const all = await cli(["eval", "compare", a, b, "--all"]);
    expect(all.stdout.split("\n").filter((l) => l.startsWith("same")).length).toBe(6);
  });

  it("keeps each trial as a durable run in a store; score --store re-scores them without running", async () => {
    const store = `sqlite:${join(dir, "runs.db")}`;
    const a = join(dir, "stored");
    expect((await cli([...BASE, "--out", a, "--store", store])).code).toBe(0);
    const runs = await cli(["runs", "--store", store, "--limit", "20"]);
    const ids = runs.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t")[0]);
    expect(ids).toHaveLength(10);
    expect(ids).toContain("eval:tasks:capital#1");
    // Results folder lost: a re-run reads the completed runs back from the store instead of running them.
    const again = join(dir, "stored-again");
    expect((await cli([...BASE, "--out", again, "--store", store])).code).toBe(0);
    expect((await cli(["runs", "--store", store, "--limit", "50"])).stdout.trim().split("\n")).toHaveLength(
      10,
    );
    expect(await read(again, "trials.jsonl")).toBe(await read(a, "trials.jsonl"));
    // Another suite name is another namespace: nothing is read back, every trial runs.
    const other = await cli([
      ...BASE,
      "--out",
      join(dir, "stored-other"),
      "--store",
      store,
      "--suite",
      "team-b",
    ]);
    expect(other.code).toBe(0);
    const all = (await cli(["runs", "--store", store, "--limit", "50"])).stdout.trim().split("\n");
    expect(all).toHaveLength(20);
    expect(all.join("\n")).toContain("eval:team-b:capital#1");
    const b = join(dir, "stored-scored");
    const score = await cli([
      "eval",
      "score",
      TASKS,
      "--store",
      store,
      "--out",
      b,
      "--judge",
      join(EXAMPLE, "judge.json"),
    ]);
    expect(score.code).toBe(0);
    expect(await read(b, "trials.jsonl")).toBe(await read(a, "trials.jsonl"));
  });

  it("compare needs two folders with trials", async () => {
    const run = await cli(["eval", "compare", join(dir, "nowhere")]);
    expect(run.code).toBe(2);
    const empty = await cli(["eval", "compare", join(dir, "nowhere"), join(dir, "nowhere2")]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no trials.jsonl");
  });
});
