/** The chaos test (see chaos.ts) on PostgreSQL, in a schema of its own. */
import { describe, it } from "vitest";
import { chaos, postgres, postgresAvailable } from "./chaos.js";

const available = await postgresAvailable();

// Once skipped: in a CI run under load a call's tool ran twice. The tool had reached its end but its
// result was not yet committed when the kill landed (a PostgreSQL commit is a round trip, SQLite's is
// not), so the call was not completed and ran again, as the at-least-once rule says; the test counted
// the tool's end as completion. It now counts a call as completed once the store holds its result.
describe.skipIf(!available)("durable runs survive SIGKILL", () => {
  it("on PostgreSQL: 20 kills, the reference transcript, exactly-once tool calls", async () => {
    await chaos(postgres);
  }, 150_000);
});
