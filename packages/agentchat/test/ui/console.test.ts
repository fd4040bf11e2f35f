import { CancelledError, FunctionTool, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AssistantAgent } from "../../src/agents/index.js";
import type { Response, TaskResult } from "../../src/base/index.js";
import { MaxMessageTermination, TextMentionTermination } from "../../src/conditions/index.js";
import {
  type BaseAgentMessage,
  HandoffMessage,
  MemoryQueryEvent,
  ModelClientStreamingChunkEvent,
  SelectSpeakerEvent,
  StopMessage,
  TextMessage,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  UserInputRequestedEvent,
} from "../../src/messages/index.js";
import { RoundRobinGroupChat } from "../../src/teams/index.js";
import { Console, type ConsoleOutput } from "../../src/ui/index.js";

class Capture implements ConsoleOutput {
  text = "";
  writes = 0;
  constructor(readonly isTTY = false) {}
  write(text: string): void {
    this.text += text;
    this.writes++;
  }
}

async function* streamOf<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

const usage = (promptTokens: number, completionTokens: number, costUsd?: number) => ({
  promptTokens,
  completionTokens,
  ...(costUsd === undefined ? {} : { costUsd }),
});

function toolRun(): { items: BaseAgentMessage[]; result: TaskResult } {
  const task = new TextMessage({ source: "user", content: "Weather in Paris?" });
  const request = new ToolCallRequestEvent({
    source: "writer",
    content: [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }],
    modelsUsage: usage(50, 10, 0.001),
  });
  const executed = new ToolCallExecutionEvent({
    source: "writer",
    content: [
      { content: "Paris: 23C, sunny", name: "get_weather", callId: "c1", isError: false },
      { content: "unknown city", name: "get_weather", callId: "c2", isError: true },
    ],
  });
  const thought = new ThoughtEvent({ source: "writer", content: "The tool says sunny." });
  const answer = new TextMessage({
    source: "writer",
    content: "Sunny, 23C.",
    modelsUsage: usage(80, 5, 0.002),
  });
  const items = [task, request, executed, thought, answer];
  return { items, result: { messages: items, stopReason: "Text message received from 'writer'" } };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("Console", () => {
  it("renders messages, tool calls and results, thoughts, and a summary, and returns the TaskResult", async () => {
    const { items, result } = toolRun();
    const output = new Capture();
    const returned = await Console(streamOf([...items, result]), { output });
    expect(returned).toBe(result);
    const text = output.text;
    expect(text).toContain("---------- user · TextMessage ----------\nWeather in Paris?\n");
    expect(text).toContain('---------- writer · tool calls ----------\n→ get_weather({"city":"Paris"})\n');
    expect(text).toContain("← get_weather: Paris: 23C, sunny\n✗ get_weather: unknown city\n");
    expect(text).toContain("---------- writer · thought ----------\nThe tool says sunny.\n");
    expect(text).toContain("[tokens: 50 prompt, 10 completion, $0.0010]");
    expect(text).toContain("Stop reason: Text message received from 'writer'\nMessages: 5\n");
    expect(text).toContain("Tokens: 130 prompt, 15 completion\nCost: $0.0030\n");
    expect(text).toMatch(/Time: \d+(\.\d+)? m?s, first agent output after \d+(\.\d)? m?s\n$/);
    // Plain text for a non-terminal: no escape codes.
    expect(text).not.toContain("\u001b[");
  });

  it("prints streamed tokens as they come and does not print the full message again", async () => {
    const answer = new TextMessage({ source: "writer", content: "Hello there!", modelsUsage: usage(3, 3) });
    const chunks = ["Hel", "lo ", "there!"].map(
      (content) =>
        new ModelClientStreamingChunkEvent({ source: "writer", content, fullMessageId: answer.id }),
    );
    const output = new Capture();
    const seenBefore: string[] = [];
    async function* stream(): AsyncGenerator<BaseAgentMessage | TaskResult> {
      for (const chunk of chunks) {
        yield chunk;
        seenBefore.push(output.text);
      }
      yield answer;
      yield { messages: [answer] };
    }
    await Console(stream(), { output });
    // Each chunk was on screen before the next one was produced.
    expect(seenBefore[0]).toMatch(/Hel$/);
    expect(seenBefore[1]).toMatch(/Hello $/);
    expect(output.text.split("Hello there!")).toHaveLength(2);
    expect(output.text).toContain(
      "---------- writer · reply (streamed) ----------\nHello there!\n[tokens: 3 prompt, 3 completion]\n",
    );
    expect(output.text).not.toContain("Cost:");
  });

  it("without a fullMessageId, matches the full message by source and text", async () => {
    const answer = new TextMessage({ source: "writer", content: "Done." });
    const other = new TextMessage({ source: "writer", content: "Something else" });
    const chunk = (content: string) => new ModelClientStreamingChunkEvent({ source: "writer", content });
    const output = new Capture();
    await Console(
      streamOf<BaseAgentMessage | TaskResult>([
        chunk("Do"),
        chunk("ne."),
        answer,
        chunk("x"),
        other,
        { messages: [] },
      ]),
      {
        output,
      },
    );
    expect(output.text.split("Done.")).toHaveLength(2);
    // A message whose text differs from the chunks is printed in full.
    expect(output.text).toContain("x\n---------- writer · TextMessage ----------\nSomething else\n");
  });

  it("renders handoffs and other messages, colours on a terminal, and leaves stats out when asked", async () => {
    const output = new Capture(true);
    const handoff = new HandoffMessage({ source: "triage", content: "Refunds are yours", target: "refunds" });
    const stop = new StopMessage({ source: "refunds", content: "done" });
    await Console(
      streamOf<BaseAgentMessage | TaskResult>([
        handoff,
        stop,
        { messages: [handoff, stop], stopReason: "x" },
      ]),
      {
        output,
        outputStats: false,
      },
    );
    expect(output.text).toContain("triage · handoff to refunds");
    expect(output.text).toContain("Refunds are yours\n");
    expect(output.text).toContain("refunds · StopMessage");
    expect(output.text).toContain("\u001b[1m");
    expect(output.text).not.toContain("summary");
    const plain = new Capture(true);
    await Console(streamOf<BaseAgentMessage | TaskResult>([stop, { messages: [stop] }]), {
      output: plain,
      color: false,
    });
    expect(plain.text).not.toContain("\u001b[");
  });

  it("labels memory, speaker selection and input requests in words", async () => {
    const output = new Capture();
    const memory = new MemoryQueryEvent({
      source: "writer",
      content: [{ content: "prefers metric units", mimeType: "text/plain" }],
    });
    const select = new SelectSpeakerEvent({ source: "team", content: ["critic"] });
    const input = new UserInputRequestedEvent({ source: "human", requestId: "r1" });
    await Console(streamOf<BaseAgentMessage | TaskResult>([memory, select, input, { messages: [] }]), {
      output,
    });
    expect(output.text).toContain("---------- writer · from memory ----------\nprefers metric units\n");
    expect(output.text).toContain("---------- team · next speaker ----------\ncritic\n");
    expect(output.text).toContain("---------- human · waiting for input ----------");
  });

  it("notes unpriced calls beside a partial cost", async () => {
    const a = new TextMessage({ source: "a", content: "1", modelsUsage: usage(1, 1, 0.5) });
    const b = new TextMessage({ source: "b", content: "2", modelsUsage: usage(1, 1) });
    const output = new Capture();
    await Console(streamOf<BaseAgentMessage | TaskResult>([a, b, { messages: [a, b] }]), { output });
    expect(output.text).toContain("Cost: $0.5000 (1 call unpriced)");
  });

  it("renders an agent turn and returns its Response", async () => {
    const { items } = toolRun();
    const [, request, executed, , answer] = items;
    const response: Response = { chatMessage: answer as TextMessage, innerMessages: [request!, executed!] };
    const streamed = new Capture();
    expect(
      await Console(streamOf<BaseAgentMessage | Response>([request!, executed!, response]), {
        output: streamed,
      }),
    ).toBe(response);
    expect(streamed.text.split("→ get_weather").length).toBe(2);
    expect(streamed.text).toContain("Sunny, 23C.");
    // Given only the Response, it shows the inner messages from it.
    const only = new Capture();
    await Console(streamOf<BaseAgentMessage | Response>([response]), { output: only });
    expect(only.text).toContain("→ get_weather");
  });

  it("fails with a typed error when the stream has no result", async () => {
    const error = await Console(
      streamOf<BaseAgentMessage | TaskResult>([new TextMessage({ source: "a", content: "b" })]),
      {
        output: new Capture(),
      },
    ).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/ended without a TaskResult/);
  });

  it("passes the stream's error through after ending the line", async () => {
    const output = new Capture();
    async function* failing(): AsyncGenerator<BaseAgentMessage | TaskResult> {
      yield new ModelClientStreamingChunkEvent({ source: "w", content: "partial" });
      throw new CancelledError();
    }
    const error = await Console(failing(), { output }).catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(output.text).toMatch(/partial\n$/);
  });

  it("writes to process.stdout by default", async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const message = new TextMessage({ source: "a", content: "to stdout" });
    await Console(streamOf<BaseAgentMessage | TaskResult>([message, { messages: [message] }]));
    vi.restoreAllMocks();
    expect(writes.join("")).toContain("to stdout");
  });

  it("falls back to console.log, whole lines at a time, where there is no process", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    vi.stubGlobal("process", undefined);
    const chunk = (content: string) => new ModelClientStreamingChunkEvent({ source: "w", content });
    const answer = new TextMessage({ source: "w", content: "one two" });
    try {
      await Console(
        streamOf<BaseAgentMessage | TaskResult>([
          chunk("one "),
          chunk("two"),
          answer,
          { messages: [answer] },
        ]),
      );
    } finally {
      vi.unstubAllGlobals();
    }
    expect(lines).toContain("one two");
    expect(lines.some((l) => l.startsWith("Time: "))).toBe(true);
  });
});

describe("Console on a real AssistantAgent run", () => {
  it("does not print a streamed reply twice when a thought comes between the tokens and the message", async () => {
    const modelClient = new ReplayChatCompletionClient({
      responses: [{ content: "Sunny and warm in Paris today.", thought: "The user wants the weather." }],
    });
    const agent = new AssistantAgent({ name: "writer", modelClient, modelClientStream: true });
    const output = new Capture();
    const result = await Console(agent.runStream({ task: "Weather?" }), { output });
    const types = result.messages.map((m) => m.type);
    expect(types).toContain("ThoughtEvent");
    expect(output.text.split("Sunny and warm in Paris today.")).toHaveLength(2);
    expect(output.text).toContain("writer · thought");
  });

  it("renders a two-agent team whose agents both stream, each reply once, with the stop reason", async () => {
    const writer = new AssistantAgent({
      name: "writer",
      modelClient: new ReplayChatCompletionClient({
        responses: [{ content: "Sun on the Seine.", usage: { promptTokens: 10, completionTokens: 5 } }],
      }),
      modelClientStream: true,
    });
    const critic = new AssistantAgent({
      name: "critic",
      modelClient: new ReplayChatCompletionClient({
        responses: [{ content: "Lovely. APPROVE", usage: { promptTokens: 20, completionTokens: 3 } }],
      }),
      modelClientStream: true,
    });
    const team = new RoundRobinGroupChat({
      participants: [writer, critic],
      terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10)),
    });
    const output = new Capture();
    const result = await Console(team.runStream({ task: "A haiku about Paris" }), { output });
    expect(result.stopReason).toBe("Text 'APPROVE' mentioned");
    expect(output.text.split("Sun on the Seine.")).toHaveLength(2);
    expect(output.text.split("Lovely. APPROVE")).toHaveLength(2);
    expect(output.text.indexOf("writer · reply (streamed)")).toBeLessThan(
      output.text.indexOf("critic · reply (streamed)"),
    );
    expect(output.text).toContain(
      "Stop reason: Text 'APPROVE' mentioned\nMessages: 3\nTokens: 30 prompt, 8 completion\n",
    );
  });

  it("rejects with a CancelledError when the run is cancelled mid-stream, keeping what was shown", async () => {
    const agent = new AssistantAgent({
      name: "writer",
      modelClient: new ReplayChatCompletionClient({ responses: ["one two three four five six seven eight"] }),
      modelClientStream: true,
    });
    const controller = new AbortController();
    // Cancel as soon as the first streamed token is on screen.
    const output = new Capture();
    const write = output.write.bind(output);
    output.write = (text: string) => {
      write(text);
      if (output.text.includes("reply (streamed)") && text.trim() !== "" && !text.includes("----------")) {
        controller.abort();
      }
    };
    const error = await Console(agent.runStream({ task: "Count", signal: controller.signal }), {
      output,
    }).catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(output.text).toContain("writer · reply (streamed)");
    expect(output.text).not.toContain("eight");
    expect(output.text.endsWith("\n")).toBe(true);
  });

  it("does the same for hand-made chunks without a fullMessageId", async () => {
    const chunk = (content: string) => new ModelClientStreamingChunkEvent({ source: "w", content });
    const thought = new ThoughtEvent({ source: "w", content: "thinking" });
    const answer = new TextMessage({ source: "w", content: "All done." });
    const output = new Capture();
    await Console(
      streamOf<BaseAgentMessage | TaskResult>([
        chunk("All "),
        chunk("done."),
        thought,
        answer,
        { messages: [] },
      ]),
      {
        output,
      },
    );
    expect(output.text.split("All done.")).toHaveLength(2);
    expect(output.text).toContain("All done.\n---------- w · thought ----------\nthinking\n");
  });

  it("streams the reflection once, shows the tool call and result, and sums usage", async () => {
    const weather = new FunctionTool({
      name: "get_weather",
      description: "Weather for a city",
      parameters: z.object({ city: z.string() }),
      run: async ({ city }) => `${city}: 23C, sunny`,
    });
    const modelClient = new ReplayChatCompletionClient({
      responses: [
        {
          content: [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }],
          usage: { promptTokens: 40, completionTokens: 8, costUsd: 0.01 },
        },
        {
          content: "Paris is sunny at 23C today.",
          usage: { promptTokens: 60, completionTokens: 9, costUsd: 0.02 },
        },
      ],
    });
    const agent = new AssistantAgent({
      name: "writer",
      modelClient,
      tools: [weather],
      reflectOnToolUse: true,
      modelClientStream: true,
    });
    const output = new Capture();
    const result = await Console(agent.runStream({ task: "Weather in Paris?" }), { output });
    expect(result.messages.at(-1)?.type).toBe("TextMessage");
    const text = output.text;
    expect(text).toContain('→ get_weather({"city":"Paris"})');
    expect(text).toContain("← get_weather: Paris: 23C, sunny");
    expect(text).toContain("writer · reply (streamed)");
    expect(text.split("Paris is sunny at 23C today.")).toHaveLength(2);
    expect(text).toContain("Tokens: 100 prompt, 17 completion\nCost: $0.0300\n");
  });
});
