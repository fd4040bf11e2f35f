/**
 * HTML to Markdown under a time budget. The DOM libraries can take seconds to minutes on hostile input
 * (deeply nested elements), and they are synchronous: run in this thread they would freeze every agent
 * in the process. So conversions run in a worker thread, one at a time, each with a deadline; a worker
 * past its deadline is terminated (the conversion fails with a `ToolError`, code `timeout`) and the next
 * conversion starts a fresh one. The worker receives the conversion's source text (html-convert.ts is
 * self-contained for that), so it runs the same way from TypeScript sources and from the build.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { ToolError, toCancelledError } from "@autogen-ts/core";
import { type ConvertRequest, convertHtml } from "./html-convert.js";

/** Default time budget of one conversion, in milliseconds. */
export const DEFAULT_CONVERT_TIMEOUT_MS = 10_000;
/** The largest HTML converted, in characters; longer input is cut there first. */
export const MAX_HTML_CHARS = 5 * 1024 * 1024;
/** How long an idle worker is kept for the next conversion. */
const IDLE_MS = 30_000;

function workerSource(): string {
  const require = createRequire(import.meta.url);
  const paths = {
    linkedom: require.resolve("linkedom"),
    readability: require.resolve("@mozilla/readability"),
    turndown: require.resolve("turndown"),
  };
  // `__name` covers transpilers that keep function names with a helper call.
  return `
const { parentPort } = require("node:worker_threads");
const __name = (f) => f;
const { parseHTML } = require(${JSON.stringify(paths.linkedom)});
const { Readability } = require(${JSON.stringify(paths.readability)});
const Turndown = require(${JSON.stringify(paths.turndown)});
const convertHtml = ${convertHtml.toString()};
parentPort.on("message", (request) => {
  try {
    parentPort.postMessage({ ok: true, value: convertHtml({ parseHTML, Readability, Turndown }, request) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});`;
}

type Reply = { ok: true; value: { title: string; markdown: string } } | { ok: false; message: string };

let source: string | undefined;
let worker: Worker | undefined;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function getWorker(): Worker {
  clearTimeout(idleTimer);
  if (worker === undefined) {
    source ??= workerSource();
    worker = new Worker(source, { eval: true });
    // An idle worker must not keep the program alive.
    worker.unref();
    const created = worker;
    worker.on("error", () => {
      if (worker === created) worker = undefined;
    });
    worker.on("exit", () => {
      if (worker === created) worker = undefined;
    });
  }
  return worker;
}

function release(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    void worker?.terminate();
    worker = undefined;
  }, IDLE_MS);
  idleTimer.unref();
}

function runOnce(request: ConvertRequest, timeoutMs: number, signal: AbortSignal | undefined) {
  return new Promise<{ title: string; markdown: string }>((resolve, reject) => {
    if (signal?.aborted) {
      reject(toCancelledError(signal.reason));
      return;
    }
    const current = getWorker();
    const stop = (error: Error) => {
      cleanup();
      worker = undefined;
      void current.terminate();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        stop(
          new ToolError(
            `Converting the HTML (${request.html.length} characters) took longer than ${timeoutMs} ms`,
            {
              code: "timeout",
            },
          ),
        ),
      timeoutMs,
    );
    const onAbort = () => stop(toCancelledError(signal?.reason));
    const onMessage = (reply: Reply) => {
      cleanup();
      release();
      if (reply.ok) resolve(reply.value);
      else reject(new ToolError(`The HTML could not be converted: ${reply.message}`));
    };
    const onExit = () => {
      cleanup();
      reject(new ToolError("The HTML converter stopped unexpectedly"));
    };
    function cleanup() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      current.off("message", onMessage);
      current.off("exit", onExit);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    current.on("message", onMessage);
    current.on("exit", onExit);
    current.postMessage(request);
  });
}

/**
 * Converts HTML to Markdown in the worker, within `timeoutMs` (default 10 s).
 *
 * @throws {@link ToolError} (`timeout`) past the budget; `CancelledError` when `signal` aborts.
 */
export function convertInWorker(
  request: ConvertRequest,
  options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<{ title: string; markdown: string }> {
  const html = request.html.length > MAX_HTML_CHARS ? request.html.slice(0, MAX_HTML_CHARS) : request.html;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONVERT_TIMEOUT_MS;
  const run = queue.then(() => runOnce({ ...request, html }, timeoutMs, options.signal));
  queue = run.catch(() => undefined);
  return run;
}
