import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { buildSupportDesk, OFFLINE_SCRIPTS, refunds, supportConversation, TASK } from "./support-desk.js";

describe("the swarm quickstart", () => {
  it("runs offline: triage hands off to billing, billing asks the customer, and resumes with the answer", async () => {
    const billingModel = new ReplayChatCompletionClient(OFFLINE_SCRIPTS.billing);
    const team = buildSupportDesk({
      triage: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.triage),
      billing: billingModel,
    });
    const questions: string[] = [];
    const results = await supportConversation({
      team,
      task: TASK,
      answer: (question) => {
        questions.push(question);
        return "Yes, please refund it.";
      },
    });
    expect(results).toHaveLength(2);
    const [first, second] = results;
    const said = (r: typeof first) =>
      r?.messages.filter((m) => m.kind === "chat").map((m) => `${m.source}:${m.type}`);
    expect(said(first)).toEqual([
      "user:TextMessage",
      "triage:HandoffMessage",
      "billing:TextMessage",
      "billing:HandoffMessage",
    ]);
    expect(first?.stopReason).toBe("Handoff to user from billing detected.");
    expect(questions).toEqual([
      "Order 1042 (desk lamp, 49.90 EUR) was charged twice. Shall I refund the duplicate 49.90 EUR?",
    ]);
    expect(said(second)).toEqual(["user:HandoffMessage", "billing:TextMessage"]);
    expect(second?.messages.at(-1)?.toText()).toContain("TERMINATE");
    // The tools really ran, and billing's model saw the lookup and the customer's yes before refunding.
    expect(refunds).toEqual([{ orderId: "1042", amount: 49.9 }]);
    const beforeRefund = JSON.stringify(billingModel.requests[3]?.messages);
    expect(beforeRefund).toContain("charged 2 times");
    expect(beforeRefund).toContain("Yes, please refund it.");
    await team.close();
  });
});
