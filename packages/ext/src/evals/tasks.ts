/** Reading a task file (JSON Lines, one `{id, task, expected?, rubric?, tags?, scorers?}` a line). */
import { ValidationError } from "@autogen-ts/core";
import { checkScorerSpec } from "./scorers.js";
import type { EvalTask, ScorerSpec } from "./types.js";

/**
 * Parses the text of a task file. Blank lines and lines starting with `//` are skipped.
 *
 * @throws {@link ValidationError} (`invalid_config`) naming the line of the first bad task, or a
 *   repeated id.
 */
export function parseTasks(text: string, file = "tasks.jsonl"): EvalTask[] {
  const tasks: EvalTask[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("//")) continue;
    const where = `${file}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new ValidationError(`${where}: not JSON (${(error as Error).message})`, {
        code: "invalid_config",
        cause: error,
      });
    }
    const task = checkTask(raw, where);
    if (seen.has(task.id))
      throw new ValidationError(`${where}: repeated task id "${task.id}"`, { code: "invalid_config" });
    seen.add(task.id);
    tasks.push(task);
  }
  if (tasks.length === 0) throw new ValidationError(`${file}: no tasks`, { code: "invalid_config" });
  return tasks;
}

function checkTask(raw: unknown, where: string): EvalTask {
  const bad = (message: string) => new ValidationError(`${where}: ${message}`, { code: "invalid_config" });
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("a task is a JSON object");
  const t = raw as Record<string, unknown>;
  const id = typeof t.id === "number" ? String(t.id) : t.id;
  if (typeof id !== "string" || id === "") throw bad("'id' must be a non-empty string");
  if (typeof t.task !== "string" || t.task.trim() === "") throw bad("'task' must be a non-empty string");
  if (t.expected !== undefined && typeof t.expected !== "string") throw bad("'expected' must be a string");
  if (t.rubric !== undefined && typeof t.rubric !== "string") throw bad("'rubric' must be a string");
  if (t.tags !== undefined && !(Array.isArray(t.tags) && t.tags.every((x) => typeof x === "string")))
    throw bad("'tags' must be a list of strings");
  let scorers: ScorerSpec[] | undefined;
  if (t.scorers !== undefined) {
    if (!Array.isArray(t.scorers)) throw bad("'scorers' must be a list");
    scorers = t.scorers.map((s, j) => {
      const problem = checkScorerSpec(s);
      if (problem !== undefined) throw bad(`scorers[${j}]: ${problem}`);
      return s as ScorerSpec;
    });
  }
  return {
    id,
    task: t.task,
    ...(t.expected === undefined ? {} : { expected: t.expected as string }),
    ...(t.rubric === undefined ? {} : { rubric: t.rubric as string }),
    ...(t.tags === undefined ? {} : { tags: t.tags as string[] }),
    ...(scorers === undefined ? {} : { scorers }),
  };
}

/** FNV-1a, for a subsample that is the same on every machine and run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A deterministic subsample: `x` in (0, 1] is a fraction of the tasks, an integer above 1 a count. The
 * tasks chosen depend only on their ids (so a resumed or repeated run picks the same ones), and keep the
 * file's order.
 */
export function subsampleTasks(tasks: readonly EvalTask[], x: number): EvalTask[] {
  if (!(x > 0) || (x > 1 && !Number.isInteger(x)))
    throw new ValidationError("--subsample must be a fraction in (0, 1] or a whole number of tasks");
  const n = x <= 1 ? Math.max(1, Math.round(tasks.length * x)) : Math.min(tasks.length, x);
  const chosen = new Set(
    [...tasks]
      .sort((a, b) => hash(a.id) - hash(b.id) || (a.id < b.id ? -1 : 1))
      .slice(0, n)
      .map((t) => t.id),
  );
  return tasks.filter((t) => chosen.has(t.id));
}
