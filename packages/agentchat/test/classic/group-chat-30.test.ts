/**
 * A 30-agent GroupChat with "auto" selection limited by allowed transitions: it runs to its maxRound, never
 * lets a speaker follow one it may not follow, and survives a selector that names nobody (or names a
 * forbidden speaker, or several).
 */
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { ConversableAgent, GroupChat, GroupChatManager } from "../../src/classic/index.js";

const N = 30;

describe("a 30-agent group chat", () => {
  it("runs to maxRound on allowed transitions only, whatever the selector says", async () => {
    const agents = Array.from(
      { length: N },
      (_, i) =>
        new ConversableAgent({
          name: `agent_${i}`,
          description: `Specialist number ${i}.`,
          llmConfig: false,
          humanInputMode: "NEVER",
          defaultAutoReply: `agent_${i} reporting.`,
        }),
    );
    // Each agent may be followed by three others: i+1, i+7 and i+13 (mod 30).
    const allowed = new Map(
      agents.map((a, i) => [a, [1, 7, 13].map((d) => agents[(i + d) % N] as ConversableAgent)]),
    );
    const maxRound = 40;
    // The selector's answers cycle through: nobody at all, a name of any agent (often a forbidden one),
    // several names, and filler text. The first selection hears nobody three times and must fall back.
    const answers = ["I cannot decide.", "Nobody.", "no one"];
    for (let k = 0; answers.length < 3 * maxRound; k++) {
      answers.push(
        `agent_${(k * 11) % N}`,
        k % 4 === 0 ? `agent_${k % N} and agent_${(k + 1) % N}` : "hmm",
        `I pick agent_${(k + 8) % N}.`,
      );
    }
    const selector = new ReplayChatCompletionClient(answers);
    const groupchat = new GroupChat({
      agents,
      maxRound,
      speakerSelectionMethod: "auto",
      allowedOrDisallowedSpeakerTransitions: allowed,
      speakerTransitionsType: "allowed",
    });
    const manager = new GroupChatManager({ groupchat, llmConfig: selector });
    await (agents[0] as ConversableAgent).initiateChat(manager, { message: "Let us begin." });

    expect(groupchat.messages).toHaveLength(maxRound);
    const speakers = groupchat.messages.map((m) => m.name);
    for (let i = 1; i < speakers.length; i++) {
      const from = groupchat.agentByName(speakers[i - 1] as string) as ConversableAgent;
      expect(allowed.get(from)?.map((a) => a.name)).toContain(speakers[i]);
    }
    // Selector naming nobody three times: the next allowed agent in the group's order speaks.
    expect(speakers[1]).toBe("agent_1");
    // The selector was only ever offered the allowed successors.
    const firstPrompt = JSON.stringify(selector.requests[0]?.messages);
    expect(firstPrompt).toContain("['agent_1', 'agent_7', 'agent_13']");
    expect(firstPrompt).not.toContain("agent_2:");
    // Several selections needed retries; some followed the selector (a jump other than the +1 fallback).
    expect(selector.requests.length).toBeGreaterThan(maxRound - 1);
    const index = (name: string | undefined) => Number(name?.slice("agent_".length));
    const jumps = speakers.slice(1).map((s, i) => (index(s) - index(speakers[i]) + N) % N);
    expect(jumps.some((d) => d === 7 || d === 13)).toBe(true);
    expect(jumps.some((d) => d === 1)).toBe(true);
  });
});
