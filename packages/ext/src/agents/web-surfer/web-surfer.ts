/**
 * `MultimodalWebSurfer`: a chat agent that browses with headless Chromium. Each turn it shows its model
 * the current page (a screenshot with numbered marks on the interactive elements for a vision model, the
 * list of marked elements as text for any model) and runs the browser actions the model picks (visit,
 * search, click, type, scroll, go back, read the page, answer a question about it) until the model
 * answers in text. One browser per agent, started on first use, closed by `close()` and by a reset.
 */
import type {
  AgentState,
  BaseAgentMessage,
  BaseChatMessage,
  CallOptions,
  Response,
} from "@autogen-ts/agentchat";
import {
  BaseChatAgent,
  MultiModalMessage,
  TextMessage,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
} from "@autogen-ts/agentchat";
import type {
  ChatCompletionClient,
  FunctionCall,
  FunctionExecutionResult,
  LLMMessage,
  RequestUsage,
  ToolSchema,
  UserContentPart,
} from "@autogen-ts/core";
import { AutogenError, CancelledError, ToolError, throwIfAborted, ValidationError } from "@autogen-ts/core";
import type { PrivateAddressPolicy } from "../../tools/fetch/guard.js";
import { formatSearchResults } from "../../tools/web-search/tool.js";
import type { WebSearchProvider } from "../../tools/web-search/types.js";
import { BrowserSession, type PageState } from "./browser.js";
import { describeMarks } from "./set-of-mark.js";

/** Options of {@link MultimodalWebSurfer}. */
export interface MultimodalWebSurferOptions {
  readonly name: string;
  readonly modelClient: ChatCompletionClient;
  readonly description?: string;
  /** The page opened when the browser starts. Default `about:blank`. */
  readonly startPage?: string;
  /**
   * A search API for the `web_search` action (results come back as text). Without one, searching opens
   * {@link searchUrl} in the browser.
   */
  readonly searchProvider?: WebSearchProvider;
  /** A search page URL with `{query}` where the query goes. Default Bing's. */
  readonly searchUrl?: string;
  /** Where downloaded files are saved. Default `./downloads`. */
  readonly downloadsFolder?: string;
  /** The Chromium binary. Default `/usr/bin/chromium` (or `CHROMIUM_PATH`). */
  readonly executablePath?: string;
  /** Viewport size. Default 1280×800. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Run with a window (needs a display). Default false: headless. */
  readonly headful?: boolean;
  /**
   * Send screenshots to the model. Default: when the model has vision. Without it the model works from
   * the text list of marked elements.
   */
  readonly useVision?: boolean;
  /** Most browser actions in one turn. Default 10. */
  readonly maxActionsPerTurn?: number;
  /** Longest page text `read_page` returns, in characters. Default 12 000. */
  readonly maxPageChars?: number;
  /** Time limit of one navigation or action, in milliseconds. Default 15 000. */
  readonly actionTimeoutMs?: number;
  /** Replaces the built-in instructions. */
  readonly systemMessage?: string;
  /**
   * Private, loopback, link-local and reserved addresses the browser may reach (the fetch tool's policy):
   * `true` for all, or a function of the address and host name. Default: none. A page (and a prompt
   * injection on it) otherwise could make the browser read the machine's own services or its network.
   */
  readonly allowPrivateAddresses?: PrivateAddressPolicy;
  /** Let the browser open `file:` URLs. Default false. */
  readonly allowFileUrls?: boolean;
}

/** The saved state of a {@link MultimodalWebSurfer}: its conversation and the page it was on. */
export interface MultimodalWebSurferState extends AgentState {
  readonly type: "MultimodalWebSurferState";
  readonly version: 1;
  readonly history: readonly LLMMessage[];
  readonly url?: string;
}

const DEFAULT_DESCRIPTION =
  "A helpful assistant with access to a web browser. Ask it to search the web, open pages, click, fill in forms, scroll and read or summarize what is on a page. It can also download files.";

const DEFAULT_SYSTEM_MESSAGE = [
  "You browse the web to complete the task you are given, one action at a time, using your tools.",
  "After every action you see the current page: its title and URL, how far it is scrolled, and its interactive elements, each with a number in square brackets. A screenshot with the same numbers drawn on it comes too when you can see images.",
  "Click and type by those numbers. To find something, search or visit a URL; scroll when what you need may be further down; read_page gives you the whole text of the page.",
  "When you have what the task needs, stop calling tools and answer in plain text with what you found, citing the page it came from.",
].join("\n");

const NUMBER_ID = {
  type: "integer",
  minimum: 1,
  description: "The number of the element, from the current list",
};

/** The browser actions the model can call. */
export const WEB_SURFER_TOOLS: readonly ToolSchema[] = [
  {
    name: "visit_url",
    description: "Open a URL in the browser.",
    parameters: {
      type: "object",
      properties: { url: { type: "string" } },
      required: ["url"],
      additionalProperties: false,
    },
  },
  {
    name: "web_search",
    description: "Search the web for a query.",
    parameters: {
      type: "object",
      properties: { query: { type: "string" } },
      required: ["query"],
      additionalProperties: false,
    },
  },
  {
    name: "click",
    description: "Click an element of the page (a link, a button, a checkbox) by its number.",
    parameters: {
      type: "object",
      properties: { target_id: NUMBER_ID },
      required: ["target_id"],
      additionalProperties: false,
    },
  },
  {
    name: "input_text",
    description:
      "Type text into a field by its number, replacing what is there; submit presses Enter afterwards.",
    parameters: {
      type: "object",
      properties: {
        target_id: NUMBER_ID,
        text: { type: "string" },
        submit: { type: "boolean", description: "Press Enter after typing (default true)" },
      },
      required: ["target_id", "text"],
      additionalProperties: false,
    },
  },
  {
    name: "scroll_down",
    description: "Scroll down one screen.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "scroll_up",
    description: "Scroll up one screen.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "go_back",
    description: "Go back to the previous page.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "read_page",
    description: "Read the text of the whole current page (as Markdown), not only what is on screen.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "answer_question",
    description:
      "Answer a question about the current page from its full text (a summary when asked for one).",
    parameters: {
      type: "object",
      properties: { question: { type: "string" } },
      required: ["question"],
      additionalProperties: false,
    },
  },
];

function addUsage(a: RequestUsage | undefined, b: RequestUsage): RequestUsage {
  if (a === undefined) return b;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}

function parseArgs(call: FunctionCall): Record<string, unknown> {
  let value: unknown;
  try {
    value = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch {
    throw new ToolError(`The arguments of ${call.name} are not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ToolError(`The arguments of ${call.name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function requireArg<T extends "string" | "number">(
  args: Record<string, unknown>,
  key: string,
  type: T,
): T extends "string" ? string : number {
  const value = args[key];
  if (typeof value !== type) throw new ToolError(`${key} must be a ${type}`);
  return value as never;
}

/**
 * A web-browsing agent on headless Chromium.
 *
 * @example
 * ```ts
 * const surfer = new MultimodalWebSurfer({ name: "web_surfer", modelClient, startPage: "https://example.org" });
 * try {
 *   const result = await surfer.run({ task: "What does example.org say it is for?" });
 * } finally {
 *   await surfer.close();
 * }
 * ```
 */
export class MultimodalWebSurfer extends BaseChatAgent {
  /** The model the agent uses. */
  readonly modelClient: ChatCompletionClient;
  /** The browser (started on first use). */
  readonly browser: BrowserSession;
  readonly #options: MultimodalWebSurferOptions;
  readonly #useVision: boolean;
  #history: LLMMessage[] = [];
  #restoreUrl: string | undefined;

  constructor(options: MultimodalWebSurferOptions) {
    super({ name: options.name, description: options.description ?? DEFAULT_DESCRIPTION });
    if (!options.modelClient) throw new ValidationError("MultimodalWebSurfer needs a modelClient");
    if (options.modelClient.modelInfo.functionCalling === false) {
      throw new ValidationError("MultimodalWebSurfer needs a model that can call functions");
    }
    this.modelClient = options.modelClient;
    this.#options = options;
    this.#useVision = options.useVision ?? options.modelClient.modelInfo.vision;
    if (this.#useVision && !options.modelClient.modelInfo.vision) {
      throw new ValidationError("useVision is set but the model has no vision");
    }
    this.browser = new BrowserSession({
      ...(options.executablePath ? { executablePath: options.executablePath } : {}),
      ...(options.downloadsFolder ? { downloadsFolder: options.downloadsFolder } : {}),
      ...(options.viewport ? { viewport: options.viewport } : {}),
      ...(options.actionTimeoutMs ? { actionTimeoutMs: options.actionTimeoutMs } : {}),
      ...(options.headful ? { headful: true } : {}),
      ...(options.allowPrivateAddresses === undefined
        ? {}
        : { allowPrivateAddresses: options.allowPrivateAddresses }),
      ...(options.allowFileUrls ? { allowFileUrls: true } : {}),
    });
  }

  /** Whether screenshots go to the model. */
  get useVision(): boolean {
    return this.#useVision;
  }

  /** The options the agent was made with. */
  get options(): MultimodalWebSurferOptions {
    return this.#options;
  }

  get producedMessageTypes(): readonly string[] {
    return this.#useVision ? ["MultiModalMessage"] : ["TextMessage"];
  }

  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    const inner: BaseAgentMessage[] = [];
    for await (const item of this.onMessagesStream(messages, options)) {
      if ("chatMessage" in item) return { ...item, innerMessages: inner };
      inner.push(item);
    }
    throw new AutogenError("internal", "The web surfer ended its turn without a reply");
  }

  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const signal = options.signal;
    for (const m of messages) this.#history.push(m.toModelMessage());
    await this.#ensurePage();
    const system: LLMMessage = {
      type: "SystemMessage",
      content: this.#options.systemMessage ?? DEFAULT_SYSTEM_MESSAGE,
    };
    const turn: LLMMessage[] = [];
    const inner: BaseAgentMessage[] = [];
    const maxActions = this.#options.maxActionsPerTurn ?? 10;
    let usage: RequestUsage | undefined;
    let answer: string | undefined;
    let state = await this.browser.state();
    for (let step = 0; step <= maxActions; step++) {
      throwIfAborted(signal);
      const last = step === maxActions;
      const result = await this.modelClient.create(
        [system, ...this.#history, ...turn, this.#stateMessage(state, last)],
        {
          ...(last ? {} : { tools: WEB_SURFER_TOOLS }),
          ...(signal ? { signal } : {}),
        },
      );
      usage = addUsage(usage, result.usage);
      if (typeof result.content === "string") {
        answer = result.content;
        break;
      }
      const calls = result.content;
      const request = new ToolCallRequestEvent({
        source: this.name,
        content: calls,
        modelsUsage: result.usage,
      });
      inner.push(request);
      yield request;
      const results: FunctionExecutionResult[] = [];
      for (const call of calls) results.push(await this.#execute(call, signal));
      const execution = new ToolCallExecutionEvent({ source: this.name, content: results });
      inner.push(execution);
      yield execution;
      turn.push(
        { type: "AssistantMessage", content: calls, source: this.name },
        { type: "FunctionExecutionResultMessage", content: results },
      );
      state = await this.browser.state();
    }
    const footer = `\n\nCurrent page: ${state.title || "(untitled)"} (${state.url})`;
    const text = `${(answer ?? "").trim() || `I stopped after ${maxActions} browser actions without a final answer.`}${footer}`;
    this.#history.push({ type: "AssistantMessage", content: text, source: this.name });
    const base = { source: this.name, ...(usage ? { modelsUsage: usage } : {}) };
    const chatMessage = this.#useVision
      ? new MultiModalMessage({
          ...base,
          content: [
            text,
            { type: "image", data: state.screenshot.toString("base64"), mediaType: "image/png" },
          ],
        })
      : new TextMessage({ ...base, content: text });
    yield { chatMessage, innerMessages: inner };
  }

  async #ensurePage(): Promise<void> {
    if (this.browser.started) return;
    const first = this.#restoreUrl ?? this.#options.startPage;
    this.#restoreUrl = undefined;
    await this.browser.start();
    if (first && first !== "about:blank") await this.browser.visit(first);
  }

  #stateMessage(state: PageState, last: boolean): LLMMessage {
    const percent = state.pageHeight > 0 ? Math.round((state.viewportHeight / state.pageHeight) * 100) : 100;
    const below = Math.max(state.pageHeight - state.scrollY - state.viewportHeight, 0);
    const text = [
      `The browser is at: ${state.title || "(untitled)"} (${state.url})`,
      `The view shows ${Math.min(percent, 100)}% of the page, ${state.scrollY} px from the top, ${below} px more below.`,
      describeMarks(state.marks),
      last
        ? "You have used every browser action of this turn: answer now, in text, with what you found so far."
        : this.#useVision
          ? "The screenshot shows the view with the element numbers drawn on it. Choose the next action, or answer in text when you are done."
          : "Choose the next action, or answer in text when you are done.",
    ].join("\n\n");
    const content: string | UserContentPart[] = this.#useVision
      ? [text, { type: "image", data: state.screenshot.toString("base64"), mediaType: "image/png" }]
      : text;
    return { type: "UserMessage", content, source: "browser" };
  }

  async #execute(call: FunctionCall, signal: AbortSignal | undefined): Promise<FunctionExecutionResult> {
    const done = (content: string, isError = false): FunctionExecutionResult => ({
      content,
      name: call.name,
      callId: call.id,
      isError,
    });
    try {
      const args = parseArgs(call);
      const text = await this.#act(call.name, args, signal);
      const downloads = this.browser.takeDownloads();
      return done(downloads.length > 0 ? `${text}\nDownloaded: ${downloads.join(", ")}` : text);
    } catch (error) {
      if (CancelledError.isInstance(error) || signal?.aborted) throw error;
      return done(`Error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`, true);
    }
  }

  async #pageLine(): Promise<string> {
    const page = await this.browser.page();
    return `Now at: ${(await page.title()) || "(untitled)"} (${page.url()})`;
  }

  async #act(name: string, args: Record<string, unknown>, signal: AbortSignal | undefined): Promise<string> {
    switch (name) {
      case "visit_url": {
        const url = requireArg(args, "url", "string");
        await this.browser.visit(url);
        return `Opened ${url}. ${await this.#pageLine()}`;
      }
      case "web_search": {
        const query = requireArg(args, "query", "string");
        const provider = this.#options.searchProvider;
        if (provider)
          return formatSearchResults(
            query,
            await provider.search(query, { numResults: 8, ...(signal ? { signal } : {}) }),
          );
        const template = this.#options.searchUrl ?? "https://www.bing.com/search?q={query}";
        await this.browser.visit(template.replace("{query}", encodeURIComponent(query)));
        return `Searched for "${query}". ${await this.#pageLine()}`;
      }
      case "click": {
        const id = requireArg(args, "target_id", "number");
        await this.browser.click(id);
        return `Clicked [${id}]. ${await this.#pageLine()}`;
      }
      case "input_text": {
        const id = requireArg(args, "target_id", "number");
        const text = requireArg(args, "text", "string");
        const submit = args.submit !== false;
        await this.browser.type(id, text, submit);
        return `Typed "${text}" into [${id}]${submit ? " and pressed Enter" : ""}. ${await this.#pageLine()}`;
      }
      case "scroll_down":
      case "scroll_up":
        await this.browser.scroll(name === "scroll_down" ? "down" : "up");
        return `Scrolled ${name === "scroll_down" ? "down" : "up"} one screen.`;
      case "go_back":
        return (await this.browser.back())
          ? `Went back. ${await this.#pageLine()}`
          : "There is no previous page.";
      case "read_page": {
        const page = await this.browser.readPage();
        const limit = this.#options.maxPageChars ?? 12_000;
        const body =
          page.markdown.length > limit ? `${page.markdown.slice(0, limit)}\n\n…(truncated)` : page.markdown;
        return `# ${page.title || "(untitled)"}\nURL: ${page.url}\n\n${body}`;
      }
      case "answer_question": {
        const question = requireArg(args, "question", "string");
        return this.#answer(question, signal);
      }
      default:
        throw new ToolError(
          `Unknown action "${name}"; use one of ${WEB_SURFER_TOOLS.map((t) => t.name).join(", ")}`,
        );
    }
  }

  /** Asks the model a question about the whole page, in a separate call without tools. */
  async #answer(question: string, signal: AbortSignal | undefined): Promise<string> {
    const page = await this.browser.readPage();
    const limit = this.#options.maxPageChars ?? 12_000;
    const prompt = `Here is the text of the page "${page.title}" (${page.url}):\n\n${page.markdown.slice(0, limit)}\n\nAnswer this question about the page, from the page alone: ${question}`;
    const result = await this.modelClient.create(
      [
        {
          type: "SystemMessage",
          content: "You answer questions about a web page from its text, briefly and accurately.",
        },
        { type: "UserMessage", content: prompt, source: "browser" },
      ],
      signal ? { signal } : {},
    );
    if (typeof result.content !== "string")
      throw new ToolError("The model answered the page question with a tool call");
    return result.content;
  }

  /** Forgets the conversation and closes the browser (the next turn starts a fresh one at the start page). */
  async onReset(): Promise<void> {
    this.#history = [];
    this.#restoreUrl = undefined;
    await this.browser.close();
  }

  /** Closes the browser. */
  override async close(): Promise<void> {
    await this.browser.close();
  }

  override async saveState(): Promise<MultimodalWebSurferState> {
    let url: string | undefined;
    if (this.browser.started) url = (await this.browser.page()).url();
    return {
      type: "MultimodalWebSurferState",
      version: 1,
      history: structuredClone(this.#history),
      ...(url ? { url } : {}),
    };
  }

  override async loadState(state: unknown): Promise<void> {
    const s = state as Partial<MultimodalWebSurferState> | undefined;
    if (s?.type !== "MultimodalWebSurferState" || s.version !== 1 || !Array.isArray(s.history)) {
      throw new ValidationError(`Agent '${this.name}': not a MultimodalWebSurferState (version 1)`);
    }
    this.#history = structuredClone(s.history) as LLMMessage[];
    await this.browser.close();
    this.#restoreUrl = typeof s.url === "string" && s.url !== "about:blank" ? s.url : undefined;
  }
}
