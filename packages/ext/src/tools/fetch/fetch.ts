/**
 * `fetchUrl` and `FetchTool`: fetch a page and hand the model readable Markdown. HTML is reduced to its
 * main content; text, Markdown and JSON pass through; PDF becomes text. Every hop of a redirect chain is
 * checked by the SSRF guard on the address it connects to, redirects are capped, and the body is limited
 * in bytes (after decompression) and the whole fetch in time.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Tool, ToolCallOptions, ToolResult, ToolSchema } from "@autogen-ts/core";
import { CancelledError, FunctionTool, ToolError, toCancelledError } from "@autogen-ts/core";
import { htmlToMarkdown, pdfToMarkdown } from "../files/documents.js";
import { checkUrlTarget, guardedLookup, type PrivateAddressPolicy } from "./guard.js";

/** Options of {@link fetchUrl}. */
export interface FetchUrlOptions {
  /**
   * Allow private, loopback, link-local and reserved addresses: `true` for all, or a function of the
   * address and host name deciding each one. Default false: refused, on every hop. Only for trusted local
   * use and tests.
   */
  readonly allowPrivateAddresses?: PrivateAddressPolicy;
  /** Largest body read, in bytes after decompression. Default 5 MiB. Longer text is cut there. */
  readonly maxBytes?: number;
  /** Time limit of the whole fetch, redirects included, in milliseconds. Default 20 000. */
  readonly timeoutMs?: number;
  /** Most redirects followed. Default 5. */
  readonly maxRedirects?: number;
  /** Keep only the main content of HTML pages (default true). */
  readonly mainContent?: boolean;
  /** The User-Agent header. */
  readonly userAgent?: string;
  /** Cancels the fetch. */
  readonly signal?: AbortSignal;
}

/** A fetched document as Markdown. */
export interface FetchedDocument {
  /** The URL after redirects. */
  readonly url: string;
  readonly status: number;
  /** The media type, without parameters. */
  readonly contentType: string;
  readonly title: string;
  readonly markdown: string;
  /** True when the body was longer than `maxBytes` and was cut. */
  readonly truncated: boolean;
}

const DEFAULT_USER_AGENT = "Mozilla/5.0 (compatible; autogen-ts fetch)";

interface RawResponse {
  readonly url: URL;
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  readonly truncated: boolean;
}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return response.pipe(createGunzip());
  if (encoding === "deflate") return response.pipe(createInflate());
  if (encoding === "br") return response.pipe(createBrotliDecompress());
  return response;
}

function requestOnce(
  url: URL,
  options: FetchUrlOptions,
  signal: AbortSignal,
  maxBytes: number,
): Promise<RawResponse> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<RawResponse>((resolve, reject) => {
    const req = send(
      url,
      {
        method: "GET",
        signal,
        lookup: guardedLookup(options.allowPrivateAddresses) as never,
        // A fresh connection per request: a pooled socket would skip the lookup and its check.
        agent: false,
        headers: {
          "user-agent": options.userAgent ?? DEFAULT_USER_AGENT,
          accept:
            "text/html,application/xhtml+xml,text/markdown,text/plain,application/json,application/pdf;q=0.9,*/*;q=0.5",
          "accept-encoding": "gzip, deflate, br",
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          resolve({ url, status, headers: response.headers, body: Buffer.alloc(0), truncated: false });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const stream = decoded(response);
        stream.on("data", (chunk: Buffer) => {
          if (truncated) return;
          const room = maxBytes - size;
          if (chunk.length >= room) {
            chunks.push(chunk.subarray(0, room));
            size = maxBytes;
            if (chunk.length > room) {
              truncated = true;
              finish();
              response.destroy();
            }
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({ url, status, headers: response.headers, body: Buffer.concat(chunks), truncated });
        };
        stream.on("end", finish);
        stream.on("error", (error) => {
          if (!done) reject(error);
        });
        response.on("aborted", () => {
          if (!done) reject(new ToolError("The server closed the connection before the body was complete"));
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function mediaType(headers: IncomingMessage["headers"]): { type: string; charset: string | undefined } {
  const raw = String(headers["content-type"] ?? "application/octet-stream");
  const [type, ...params] = raw.split(";");
  const charset = params
    .map((p) => p.trim().split("="))
    .find(([k]) => k?.toLowerCase() === "charset")?.[1]
    ?.replace(/"/g, "");
  return { type: (type ?? "").trim().toLowerCase(), charset };
}

function decodeText(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}

function looksLikeHtml(body: Buffer): boolean {
  const head = body.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

/**
 * Fetches a URL and converts it to Markdown.
 *
 * @throws {@link ToolError} for a refused address (SSRF guard), a bad scheme, too many redirects, an HTTP
 *   error status, a time-out, or a type it cannot read; {@link CancelledError} when `signal` aborts.
 */
export async function fetchUrl(
  target: string | URL,
  options: FetchUrlOptions = {},
): Promise<FetchedDocument> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ToolError(`Not a valid URL: ${String(target).slice(0, 200)}`);
  }
  const maxRedirects = options.maxRedirects ?? 5;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  let response: RawResponse | undefined;
  try {
    for (let hop = 0; ; hop++) {
      checkUrlTarget(url, options.allowPrivateAddresses);
      response = await requestOnce(url, options, signal, maxBytes);
      const location = response.headers.location;
      if (!(response.status >= 300 && response.status < 400 && location)) break;
      if (hop >= maxRedirects) {
        throw new ToolError(`Too many redirects (more than ${maxRedirects}) starting from ${String(target)}`);
      }
      url = new URL(location, url);
    }
  } catch (error) {
    if (options.signal?.aborted) throw toCancelledError(options.signal.reason);
    if (timeout.aborted)
      throw new ToolError(`Fetching ${url.href} took longer than ${timeoutMs} ms`, { code: "timeout" });
    if (ToolError.isInstance(error) || CancelledError.isInstance(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ToolError(`Could not fetch ${url.href} (host ${url.host}): ${message}`, {
      cause: error,
      details: { host: url.host },
    });
  }

  const { status, headers, body, truncated } = response;
  if (status >= 400) {
    throw new ToolError(`Fetching ${url.href} failed with HTTP ${status}`, { details: { status } });
  }
  let { type, charset } = mediaType(headers);
  if (type === "application/octet-stream" && looksLikeHtml(body)) type = "text/html";
  const base = { url: url.href, status, contentType: type, truncated };

  if (type === "text/html" || type === "application/xhtml+xml") {
    // The conversion counts against the fetch's time limit (it runs in a worker with that deadline).
    const doc = await htmlToMarkdown(decodeText(body, charset), {
      url: url.href,
      mainContent: options.mainContent !== false,
      timeoutMs: Math.max(1, deadline - Date.now()),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...base, ...doc };
  }
  if (type === "application/pdf") {
    if (truncated) throw new ToolError(`The PDF at ${url.href} is larger than the ${maxBytes}-byte limit`);
    return {
      ...base,
      title: decodeURIComponent(url.pathname.split("/").pop() ?? ""),
      markdown: await pdfToMarkdown(body),
    };
  }
  if (type === "application/json" || type.endsWith("+json")) {
    const text = decodeText(body, charset);
    let pretty = text;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Cut or invalid JSON is shown as it came.
    }
    return { ...base, title: "", markdown: `\`\`\`json\n${pretty}\n\`\`\`` };
  }
  if (type.startsWith("text/") || type === "application/xml" || type.endsWith("+xml")) {
    return { ...base, title: "", markdown: decodeText(body, charset) };
  }
  throw new ToolError(
    `Cannot read ${url.href}: its content type ${type} is neither text, HTML, JSON nor PDF`,
  );
}

/** Options of {@link FetchTool}. */
export interface FetchToolOptions extends Omit<FetchUrlOptions, "signal"> {
  /** The tool's name. Default `fetch_webpage`. */
  readonly name?: string;
  /** Longest Markdown handed to the model, in characters (default 40 000; the model may ask for less). */
  readonly maxLength?: number;
}

interface FetchArgs {
  readonly url: string;
  readonly max_length?: number;
}

/**
 * A tool that fetches a URL and returns its main content as Markdown. Refused addresses, HTTP errors and
 * unreadable types come back as error results.
 *
 * @example
 * ```ts
 * const fetchTool = new FetchTool({ maxBytes: 2_000_000 });
 * const agent = new AssistantAgent({ name: "reader", modelClient, tools: [fetchTool] });
 * ```
 */
export class FetchTool implements Tool {
  readonly name: string;
  readonly description: string;
  readonly schema: ToolSchema;
  /** The options the tool fetches with. */
  readonly options: FetchToolOptions;
  readonly #tool: FunctionTool<FetchArgs>;

  constructor(options: FetchToolOptions = {}) {
    this.options = options;
    const limit = options.maxLength ?? 40_000;
    this.#tool = new FunctionTool<FetchArgs>({
      name: options.name ?? "fetch_webpage",
      description:
        "Fetch a web page (or a text, JSON or PDF document) by URL and return its main content as Markdown.",
      parameters: {
        type: "object",
        properties: {
          url: { type: "string", description: "The http or https URL" },
          max_length: {
            type: "integer",
            minimum: 100,
            description: `Longest text returned (default ${limit})`,
          },
        },
        required: ["url"],
        additionalProperties: false,
      },
      run: async ({ url, max_length }, { signal }) => {
        const doc = await fetchUrl(url, { ...options, signal });
        const cap = Math.min(max_length ?? limit, limit);
        let text = doc.markdown;
        let cut = doc.truncated;
        if (text.length > cap) {
          text = text.slice(0, cap);
          cut = true;
        }
        const header = `${doc.title ? `# ${doc.title}\n\n` : ""}URL: ${doc.url}\n\n`;
        return `${header}${text}${cut ? "\n\n…(truncated)" : ""}`;
      },
    });
    this.name = this.#tool.name;
    this.description = this.#tool.description;
    this.schema = this.#tool.schema;
  }

  /** Fetches the URL the model gave; failures are results with `isError: true`. */
  call(args: string | Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<ToolResult> {
    return this.#tool.call(args, options);
  }
}
