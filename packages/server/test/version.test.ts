import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { SERVER_VERSION } from "../src/index.js";

it("SERVER_VERSION is package.json's version", async () => {
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  expect(SERVER_VERSION).toBe(pkg.version);
});
