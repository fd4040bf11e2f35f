import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Drives the default UserProxyAgent input in a real pseudo-terminal: tmux runs the example, the test
// types an answer into it, and reads the screen. .ci/run installs tmux when it is missing.
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const session = `autogen-hitl-${randomUUID().slice(0, 8)}`;
function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}
const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"]);
    return true;
  } catch {
    if (process.env.CI === "true") throw new Error("The terminal test needs tmux (apt-get install tmux)");
    console.warn("Skipping the terminal test: tmux is not installed");
    return false;
  }
})();

async function waitForScreen(pattern: RegExp): Promise<string> {
  let screen = "";
  for (let i = 0; i < 300; i++) {
    screen = tmux("capture-pane", "-p", "-S", "-200", "-t", session);
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The terminal never showed ${pattern}; it shows:\n${screen}`);
}

afterAll(() => {
  if (hasTmux) {
    try {
      tmux("kill-session", "-t", session);
    } catch {
      // already gone
    }
  }
});

describe.skipIf(!hasTmux)("UserProxyAgent at a real terminal", () => {
  it("reads the answer typed at the prompt, and the assistant's model receives it", async () => {
    const tsx = join(root, "node_modules/.bin/tsx");
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", "-c", root);
    tmux("set-option", "-t", session, "remain-on-exit", "on");
    tmux(
      "respawn-pane",
      "-k",
      "-t",
      session,
      `${tsx} examples/human-in-the-loop/terminal.ts; echo EXITED $?`,
    );
    await waitForScreen(/Your answer>/);
    tmux("send-keys", "-t", session, "Lisbon, with trams", "Enter");
    const screen = await waitForScreen(/EXITED \d+/);
    expect(screen).toContain("assistant: Which city should the trip plan cover?");
    expect(screen).toContain('model saw: "Lisbon, with trams"');
    expect(screen).toContain("assistant: Here is a one-day plan");
    expect(screen).toContain("EXITED 0");
  }, 60_000);
});
