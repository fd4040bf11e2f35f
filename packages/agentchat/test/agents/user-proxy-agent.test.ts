import { AutogenError, CancelledError, ValidationError } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import { UserProxyAgent } from "../../src/agents/user-proxy-agent.js";
import { HandoffMessage, TextMessage } from "../../src/messages/chat.js";
import { UserInputRequestedEvent } from "../../src/messages/events.js";

describe("UserProxyAgent", () => {
  it("announces each request with a UserInputRequestedEvent before asking, and replies with the answer", async () => {
    const order: string[] = [];
    const agent = new UserProxyAgent({
      name: "user",
      inputFunc: (prompt, _signal, { requestId, messages }) => {
        order.push(`asked ${requestId} ${prompt} after ${messages.map((m) => m.toText()).join("|")}`);
        return "Paris";
      },
    });
    const seen: string[] = [];
    for await (const item of agent.onMessagesStream([
      new TextMessage({ source: "assistant", content: "Which city?" }),
    ])) {
      if (item instanceof UserInputRequestedEvent) {
        expect(order).toEqual([]); // announced before the input function runs
        seen.push(item.requestId);
      } else if ("chatMessage" in item) {
        expect(item.chatMessage).toBeInstanceOf(TextMessage);
        expect(item.chatMessage.toText()).toBe("Paris");
        expect(item.chatMessage.source).toBe("user");
      }
    }
    expect(order).toEqual([`asked ${seen[0]} Enter your response:  after Which city?`]);
  });

  it("answers a handoff with a handoff back to the agent that asked, prompted by its text", async () => {
    let prompt = "";
    const agent = new UserProxyAgent({
      name: "user",
      inputFunc: (p) => {
        prompt = p;
        return "Book the 9:00 train";
      },
    });
    const response = await agent.onMessages([
      new HandoffMessage({ source: "planner", target: "user", content: "Which train do you want?" }),
    ]);
    expect(prompt.startsWith("Which train do you want?")).toBe(true);
    expect(response.chatMessage).toBeInstanceOf(HandoffMessage);
    expect(response.chatMessage).toMatchObject({
      target: "planner",
      content: "Book the 9:00 train",
      source: "user",
    });
    expect(agent.producedMessageTypes).toEqual(["TextMessage", "HandoffMessage"]);
  });

  it("runs as a single agent with a task", async () => {
    const agent = new UserProxyAgent({ name: "user", inputFunc: async () => "yes" });
    const result = await agent.run({ task: "Shall we proceed?" });
    expect(result.messages.map((m) => m.type)).toEqual([
      "TextMessage",
      "UserInputRequestedEvent",
      "TextMessage",
    ]);
    expect(result.messages.at(-1)?.toText()).toBe("yes");
  });

  it("stops waiting when cancelled, even if the input function ignores the signal", async () => {
    const agent = new UserProxyAgent({ name: "user", inputFunc: () => new Promise<string>(() => {}) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await agent.onMessages([], { signal: controller.signal }).catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
  });

  it("passes the signal to the input function", async () => {
    let received: AbortSignal | undefined;
    const agent = new UserProxyAgent({
      name: "user",
      inputFunc: (_p, signal) =>
        new Promise<string>((_resolve, reject) => {
          received = signal;
          signal?.addEventListener("abort", () => reject(new Error("aborted")));
        }),
    });
    const controller = new AbortController();
    const pending = agent.onMessages([], { signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(CancelledError.isInstance(await pending)).toBe(true);
    expect(received?.aborted).toBe(true);
  });

  it("wraps a failing input function in an AutogenError with the cause", async () => {
    const cause = new Error("the UI went away");
    const agent = new UserProxyAgent({
      name: "user",
      inputFunc: () => {
        throw cause;
      },
    });
    const error = await agent.onMessages([]).catch((e: unknown) => e);
    expect(AutogenError.isInstance(error)).toBe(true);
    expect((error as AutogenError).cause).toBe(cause);
  });

  it("rejects an input function that returns no text, and a bad inputFunc option", async () => {
    const agent = new UserProxyAgent({ name: "user", inputFunc: () => undefined as unknown as string });
    await expect(agent.onMessages([])).rejects.toSatisfy((e: unknown) => ValidationError.isInstance(e));
    expect(() => new UserProxyAgent({ name: "user", inputFunc: "no" as never })).toThrow(ValidationError);
  });
});
