import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { approveAndFinish, OFFLINE_SCRIPTS, refunds, startRun } from "./refund-approval.js";

const dir = mkdtempSync(join(tmpdir(), "durable-example-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the durable-run example", () => {
  it("runs offline: the refund waits for approval across processes, then runs once", async () => {
    const path = join(dir, "runs.db");
    const parked = await startRun(path, new ReplayChatCompletionClient(OFFLINE_SCRIPTS.first));
    expect(parked.status).toBe("interrupted");
    expect(parked.pendingInput).toHaveLength(1);
    expect(parked.pendingInput[0]?.prompt).toContain('"orderId":"1042"');
    expect(refunds).toEqual([]);
    // The second model replays only the answer: the first call came from the ledger.
    const second = new ReplayChatCompletionClient(OFFLINE_SCRIPTS.second);
    const done = await approveAndFinish(path, parked.runId, "yes", second);
    expect(done.status).toBe("completed");
    expect(refunds).toEqual([{ orderId: "1042", amount: 49.9 }]);
    expect(second.requests).toHaveLength(1);
    expect(done.messages.at(-1)?.toText()).toContain("on its way back");
    expect(done.messages.map((m) => `${m.source}:${m.type}`)).toEqual([
      "user:TextMessage",
      "clerk:ToolCallRequestEvent",
      "clerk:ToolCallExecutionEvent",
      "clerk:TextMessage",
    ]);
  });
});
