/**
 * The code execution interfaces: a block of code, the result of running blocks, the executor that runs
 * them, and the approval gate that may refuse code before it runs. Mirrors AutoGen's
 * `autogen_core.code_executor`, in camelCase. Implementations live in `@autogen-ts/ext/code-executors/*`.
 */

import type { LLMMessage } from "../models/types.js";

/** A piece of code and the language it is written in (as named by a markdown fence: `python`, `sh`, ...). */
export interface CodeBlock {
  readonly code: string;
  readonly language: string;
}

/**
 * The outcome of running one or more code blocks. A failing program is a result with a non-zero
 * `exitCode`, never a thrown error: the output is what a model needs to read to fix its code.
 */
export interface CodeResult {
  /** 0 when every block succeeded; otherwise the exit code of the first block that failed. */
  readonly exitCode: number;
  /** The combined standard output and standard error of the blocks that ran, in order. */
  readonly output: string;
  /** The files the code was saved to, relative to the executor's working directory. */
  readonly codeFiles?: readonly string[];
  /** Files the code created or changed, relative to the executor's working directory. */
  readonly files?: readonly string[];
  /** True when a block ran out of time and its processes were killed. */
  readonly timedOut?: boolean;
  /** True when the output went past the executor's cap and was cut. */
  readonly outputTruncated?: boolean;
  /** False when an approval gate refused the code, which then did not run. */
  readonly approved?: boolean;
}

/** Options of one {@link CodeExecutor.executeCodeBlocks} call. */
export interface CodeExecuteOptions {
  /** Cancels the execution: running processes are killed and the call rejects with `CancelledError`. */
  readonly signal?: AbortSignal;
}

/**
 * Something that runs code blocks: a local process, a sandbox, a container.
 *
 * `executeCodeBlocks` resolves with a {@link CodeResult} for code that fails, times out or is refused; it
 * rejects only when cancelled or when the executor itself is unusable (a missing sandbox tool, a stopped
 * container).
 */
export interface CodeExecutor {
  /** The languages this executor accepts, in their canonical names (see {@link canonicalLanguage}). */
  readonly supportedLanguages: readonly string[];
  /** Runs the blocks in order, stopping at the first that fails. */
  executeCodeBlocks(blocks: readonly CodeBlock[], options?: CodeExecuteOptions): Promise<CodeResult>;
  /** Prepares the executor (idempotent; `executeCodeBlocks` starts it lazily too). */
  start(): Promise<void>;
  /** Kills running code and releases the executor (idempotent). */
  stop(): Promise<void>;
  /** Stops and starts again, dropping whatever state the running code left behind. */
  restart(): Promise<void>;
}

/** What an approval gate is shown before code runs. */
export interface ApprovalRequest {
  /** The code blocks about to run. */
  readonly blocks: readonly CodeBlock[];
  /** The blocks joined as markdown, ready to show a person. */
  readonly code: string;
  /** The conversation that led to the code, where the caller has one (AutoGen's `context`). */
  readonly context?: readonly LLMMessage[];
}

/** An approval gate's answer. */
export interface ApprovalResponse {
  readonly approved: boolean;
  /** Why: shown to the model and the team when the code is refused. */
  readonly reason: string;
}

/**
 * A gate that sees code before it runs and may refuse it: a person at a prompt, a policy, a reviewer model.
 *
 * @example
 * ```ts
 * const noNetwork: ApprovalFunc = ({ code }) =>
 *   /requests|urllib|fetch\(/.test(code)
 *     ? { approved: false, reason: "network access is not allowed" }
 *     : { approved: true, reason: "ok" };
 * ```
 */
export type ApprovalFunc = (
  request: ApprovalRequest,
  options: { readonly signal?: AbortSignal },
) => ApprovalResponse | Promise<ApprovalResponse>;
