/**
 * Each package's `VERSION` (and what the servers report) is its package.json version: the one place a
 * version is written; `scripts/versions.mjs` generates the modules from it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { VERSION as agentchatVersion } from "@autogen-ts/agentchat";
import { VERSION as coreVersion } from "@autogen-ts/core";
import { VERSION as extVersion } from "@autogen-ts/ext";
import { describe, expect, it } from "vitest";
import { VERSION as serverVersion } from "../src/version.js";

const versionOf = (pkg: string): string =>
  (
    JSON.parse(readFileSync(new URL(`../../${pkg}/package.json`, import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;

describe("versions", () => {
  it("every package's VERSION is its package.json version", () => {
    expect(coreVersion).toBe(versionOf("core"));
    expect(agentchatVersion).toBe(versionOf("agentchat"));
    expect(extVersion).toBe(versionOf("ext"));
    expect(serverVersion).toBe(versionOf("server"));
  });

  it("no source file writes a version literal of its own", () => {
    const version = versionOf("core");
    let found = "";
    try {
      // git's pathspec `*` crosses folders: every .ts file under each package's src.
      found = execFileSync("git", ["grep", "-n", "-F", `"${version}"`, "--", "packages/*/src/*.ts"], {
        cwd: new URL("../../..", import.meta.url),
        encoding: "utf8",
      });
    } catch (error) {
      if ((error as { status?: number }).status !== 1) throw error; // 1: no match
    }
    const hits = found
      .split("\n")
      .filter((l) => l !== "" && !/\/src\/version\.ts:/.test(l) && !/\.test\.ts:/.test(l));
    expect(hits).toEqual([]);
  });
});
