/** The chaos test (see chaos.ts) on PostgreSQL, in a schema of its own. */
import { describe, it } from "vitest";
import { chaos, postgres, postgresAvailable } from "./chaos.js";

const available = await postgresAvailable();

describe.skipIf(!available)("durable runs survive SIGKILL", () => {
  it("on PostgreSQL: 20 kills, the reference transcript, exactly-once tool calls", async () => {
    await chaos(postgres);
  }, 150_000);
});
