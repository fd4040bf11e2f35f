/** The chaos test (see chaos.ts) on SQLite. */
import { describe, it } from "vitest";
import { chaos, sqlite } from "./chaos.js";

describe("durable runs survive SIGKILL", () => {
  it("on SQLite: 20 kills, the reference transcript, exactly-once tool calls", async () => {
    await chaos(sqlite);
  }, 150_000);
});
