import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { ToolError, ValidationError } from "@autogen-ts/core";
import { afterAll, describe, expect, it } from "vitest";
import { DockerCommandLineCodeExecutor } from "../../../src/code-executors/docker/docker-executor.js";

// The container tests need a Docker engine. Without one they are skipped with the reason, in CI too: this
// is the one skip the project allows, since the CI machine has only the docker client.
function engineProblem(): string | undefined {
  try {
    const version = execFileSync("docker", ["version", "--format", "{{.Server.Version}}"], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 20_000,
    })
      .toString()
      .trim();
    return version === "" ? "the docker engine reported no version" : undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error instanceof Error ? error.message : String(error));
  }
}
const noEngine = engineProblem();
if (noEngine !== undefined)
  console.warn(`Skipping the Docker container tests (no Docker engine): ${noEngine}`);

describe("DockerCommandLineCodeExecutor without an engine", () => {
  it("says clearly that no engine is reachable", async () => {
    const ex = new DockerCommandLineCodeExecutor({ dockerHost: "unix:///nonexistent/docker.sock" });
    const error = await ex
      .executeCodeBlocks([{ language: "python", code: "print(1)" }])
      .catch((e: unknown) => e);
    expect(ToolError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "invalid_config" });
    expect((error as Error).message).toMatch(/No Docker engine is reachable/);
    expect(ex.workDir).toBeUndefined();
  });

  it("says clearly that the docker CLI is missing", async () => {
    const ex = new DockerCommandLineCodeExecutor({ dockerPath: "/nonexistent/docker" });
    await expect(ex.start()).rejects.toMatchObject({ name: "ToolError", code: "invalid_config" });
  });

  it("runs nothing that the approval gate refuses, before touching Docker", async () => {
    const ex = new DockerCommandLineCodeExecutor({
      dockerPath: "/nonexistent/docker",
      approvalFunc: () => ({ approved: false, reason: "no containers today" }),
    });
    const result = await ex.executeCodeBlocks([{ language: "sh", code: "echo hi" }]);
    expect(result).toEqual({
      exitCode: 1,
      output: "Code execution was not approved. Reason: no containers today",
      approved: false,
    });
  });

  it("rejects bad options with ValidationError", () => {
    for (const options of [{ timeoutMs: -5 }, { containerName: "no spaces allowed" }]) {
      let error: unknown;
      try {
        new DockerCommandLineCodeExecutor(options);
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isInstance(error)).toBe(true);
    }
  });
});

describe.skipIf(noEngine !== undefined)("DockerCommandLineCodeExecutor with an engine", () => {
  const ex = new DockerCommandLineCodeExecutor({ image: "python:3-slim", timeoutMs: 3000 });
  afterAll(() => ex.stop());

  it("runs Python and shell, reports files, and stops at a failure", async () => {
    const result = await ex.executeCodeBlocks([
      { language: "python", code: "open('out.txt', 'w').write('x')\nprint('py')" },
      { language: "sh", code: "echo sh; exit 4" },
      { language: "sh", code: "echo never" },
    ]);
    expect(result).toMatchObject({ exitCode: 4, output: "py\nsh\n" });
    expect(result.files).toEqual([expect.stringMatching(/\/out\.txt$/)]);
  });

  it("kills the block's process group on timeout", async () => {
    const marker = `autogen-docker-${randomUUID()}`;
    const result = await ex.executeCodeBlocks([
      // bash: dash has no `exec -a`.
      { language: "bash", code: `(exec -a ${marker} sleep 300) & sleep 300` },
    ]);
    expect(result).toMatchObject({ exitCode: 124, timedOut: true });
    const left = execFileSync("docker", [
      "exec",
      ex.containerName,
      "sh",
      "-c",
      `ps -eo args | grep -c ${marker} || true`,
    ]);
    // Only the grep itself matches.
    expect(Number(left.toString().trim())).toBeLessThanOrEqual(1);
  });

  it("has no network by default", async () => {
    const result = await ex.executeCodeBlocks([
      { language: "python", code: "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=3)" },
    ]);
    expect(result.exitCode).not.toBe(0);
  });

  it("removes its temporary work dir on stop", async () => {
    const other = new DockerCommandLineCodeExecutor({});
    await other.start();
    const dir = other.workDir!;
    await other.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
