/**
 * Attacks on the file tools' root: a file swapped for a link to an outside file while the tools work
 * (the check-then-open race), hard links to outside files, links in place of folders, FIFOs that would
 * hang a read, and a regular expression built to backtrack for ever. Each test performs the attack and
 * checks that nothing outside the root was read or changed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Tool, toolResultText } from "@autogen-ts/core";
import { createFileTools } from "@autogen-ts/ext/tools/files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let base: string;
let root: string;
let outside: string;
let tools: Record<string, Tool>;

async function call(name: string, args: Record<string, unknown>) {
  const result = await tools[name]!.call(args);
  return { isError: result.isError, text: toolResultText(result) };
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "autogen-attack-files-"));
  root = join(base, "root");
  outside = join(base, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "TOP SECRET\n");
  writeFileSync(join(outside, "hard-victim.txt"), "HARD ORIGINAL\n");
  linkSync(join(outside, "hard-victim.txt"), join(root, "hard.txt"));
  writeFileSync(join(outside, "search-victim.txt"), "SEARCH SECRET\n");
  linkSync(join(outside, "search-victim.txt"), join(root, "hard-search.txt"));
  tools = Object.fromEntries(createFileTools({ root, allowWrite: true }).map((t) => [t.name, t]));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A process that swaps `name` between a regular file and a link to `target`, as fast as it can. */
function swapper(name: string, target: string): ChildProcess {
  const script = [
    "import os, sys, time",
    "root, name, target = sys.argv[1:4]",
    "path = os.path.join(root, name)",
    "tmp_link, tmp_file = path + '.l', path + '.f'",
    "while True:",
    "    try:",
    "        os.symlink(target, tmp_link)",
    "    except FileExistsError:",
    "        pass",
    "    os.replace(tmp_link, path)",
    "    time.sleep(0.0003)",
    "    with open(tmp_file, 'w') as f:",
    "        f.write('harmless\\n')",
    "    os.replace(tmp_file, path)",
    "    time.sleep(0.0003)",
  ].join("\n");
  return spawn("python3", ["-c", script, root, name, target], { stdio: "ignore" });
}

/** Waits until the swapper has made the name at least once. */
async function started(name: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(join(root, name)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the check-then-open race", () => {
  it("swap-to-link-while-reading: a file swapped for an outside link is never read through", async () => {
    const child = swapper("swap-read.txt", join(outside, "secret.txt"));
    await started("swap-read.txt");
    try {
      let leaked = 0;
      let read = 0;
      for (let i = 0; i < 1500; i++) {
        const { isError, text } = await call("read_file", { path: "swap-read.txt" });
        if (text.includes("TOP SECRET")) leaked++;
        if (!isError && text.includes("harmless")) read++;
      }
      expect(leaked).toBe(0);
      // The tool did work on the rounds where the name was a regular file.
      expect(read).toBeGreaterThan(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("swap-to-link-while-writing: a write never lands in the outside file", async () => {
    const victim = join(outside, "write-victim.txt");
    writeFileSync(victim, "UNTOUCHED\n");
    const child = swapper("swap-write.txt", victim);
    await started("swap-write.txt");
    try {
      for (let i = 0; i < 1500; i++) {
        await call("write_file", { path: "swap-write.txt", content: "OVERWRITTEN\n" });
      }
    } finally {
      child.kill("SIGKILL");
    }
    expect(readFileSync(victim, "utf8")).toBe("UNTOUCHED\n");
  });
});

describe("hard links", () => {
  it("hard-link-read: a hard link to an outside file is not read", async () => {
    const { isError, text } = await call("read_file", { path: "hard.txt" });
    expect(isError).toBe(true);
    expect(text).toMatch(/hard link/);
    expect(text).not.toContain("HARD ORIGINAL");
  });

  it("hard-link-edit: a hard link to an outside file is not edited", async () => {
    const { isError } = await call("edit_file", { path: "hard.txt", old_text: "HARD", new_text: "SOFT" });
    expect(isError).toBe(true);
    const overwrite = await call("write_file", { path: "hard.txt", content: "gone" });
    expect(overwrite.isError).toBe(true);
    expect(readFileSync(join(outside, "hard-victim.txt"), "utf8")).toBe("HARD ORIGINAL\n");
  });

  it("hard-link-search: search_files does not read a hard-linked outside file", async () => {
    const { text } = await call("search_files", { query: "SEARCH SECRET" });
    expect(text).toMatch(/No matches/);
  });
});

describe("odd files", () => {
  it("fifo-read: a FIFO planted in the root does not hang read_file", async () => {
    const made = spawn("mkfifo", [join(root, "pipe.txt")]);
    await new Promise((resolve) => made.on("close", resolve));
    const { isError, text } = await call("read_file", { path: "pipe.txt" });
    expect(isError).toBe(true);
    expect(text).toMatch(/not a regular file/);
  });

  it("link-as-parent-folder: a write under a folder that became a link is refused", async () => {
    symlinkSync(outside, join(root, "sneaky"));
    const { isError } = await call("write_file", { path: "sneaky/planted.txt", content: "x" });
    expect(isError).toBe(true);
    expect(() => readFileSync(join(outside, "planted.txt"))).toThrow();
  });
});

describe("regular expressions", () => {
  it("catastrophic-backtracking: (a+)+$ on a long line does not freeze the process", async () => {
    writeFileSync(join(root, "redos.txt"), `${"a".repeat(60)}!\n`);
    // With a backtracking engine this call never came back (2^60 steps): the test timed out.
    const { isError, text } = await call("search_files", { query: "(a+)+$", regex: true });
    expect(isError).toBe(false);
    expect(text).toContain("No matches");
  });

  it("huge-query: a query of a megabyte is refused", async () => {
    const { isError, text } = await call("search_files", { query: "a".repeat(1_000_000), regex: true });
    expect(isError).toBe(true);
    expect(text).toMatch(/longer than/);
  });
});
