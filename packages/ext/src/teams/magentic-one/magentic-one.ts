/**
 * `MagenticOne`: the Magentic-One team in one call. An orchestrator (MagenticOneGroupChat) leads a web
 * surfer, a file surfer, a coder and a code executor, all on one model client. Code runs only through
 * the approval gate: without an `approvalFunc` every block is refused, so nothing runs by accident.
 */
import type { Participant } from "@autogen-ts/agentchat";
import {
  AssistantAgent,
  CodeExecutorAgent,
  type InputFunc,
  MagenticOneGroupChat,
  type TerminationCondition,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import type { ApprovalFunc, ChatCompletionClient, CodeExecutor } from "@autogen-ts/core";
import { FileSurfer } from "../../agents/file-surfer/file-surfer.js";
import { MultimodalWebSurfer, type MultimodalWebSurferOptions } from "../../agents/web-surfer/web-surfer.js";
import { LocalCommandLineCodeExecutor } from "../../code-executors/local/local-executor.js";

/** The coder's instructions. */
export const CODER_SYSTEM_MESSAGE = [
  "You are a careful programmer on a team. You solve the parts of a task that need computation, data work or files by writing code another agent runs for you.",
  "Write complete, self-contained programs in one fenced code block (```python or ```sh), printing what the task needs; no placeholders for someone else to fill in.",
  "Save files into the current directory when the task wants files, and print their names.",
  "When the output shows an error, read it, fix the cause and send the whole corrected program again.",
  "When the results answer the task, explain them briefly and do not send more code.",
].join("\n");

/** Options of {@link MagenticOne}. */
export interface MagenticOneOptions {
  /** The model for the orchestrator and every agent (a vision model lets the web surfer see screenshots). */
  readonly modelClient: ChatCompletionClient;
  /**
   * Decides on every code block before it runs. Default: refuse everything (the coder is told why).
   * Pass a function that asks a person, or `() => ({ approved: true, reason: "" })` to run all code.
   */
  readonly approvalFunc?: ApprovalFunc;
  /** Where code runs. Default a `LocalCommandLineCodeExecutor` (sandboxed where bubblewrap exists), stopped by `close()`. */
  readonly codeExecutor?: CodeExecutor;
  /** Add a person to the team (a `UserProxyAgent` reading from `inputFunc`, or the terminal). */
  readonly hilMode?: boolean;
  readonly inputFunc?: InputFunc;
  /** The folder the file surfer reads. Default: the working directory. */
  readonly fileRoot?: string;
  /** Settings of the web surfer (start page, search, downloads folder, Chromium path). */
  readonly webSurfer?: Omit<MultimodalWebSurferOptions, "name" | "modelClient">;
  readonly terminationCondition?: TerminationCondition;
  /** Most participant turns (default 20). */
  readonly maxTurns?: number;
  /** Stalled turns before the orchestrator re-plans (default 3). */
  readonly maxStalls?: number;
}

const REFUSE_ALL: ApprovalFunc = () => ({
  approved: false,
  reason: "Code execution is off: this MagenticOne team was made without an approvalFunc.",
});

/**
 * The Magentic-One team: web surfer, file surfer, coder and executor under an orchestrator.
 *
 * @example
 * ```ts
 * const team = new MagenticOne({ modelClient, approvalFunc: askInTerminal });
 * try {
 *   await Console(team.runStream({ task: "Plot the last 30 days of the NVDA share price" }));
 * } finally {
 *   await team.close();
 * }
 * ```
 */
export class MagenticOne extends MagenticOneGroupChat {
  /** The browsing agent. */
  readonly webSurfer: MultimodalWebSurfer;
  /** The file-reading agent. */
  readonly fileSurfer: FileSurfer;
  /** The code-writing agent. */
  readonly coder: AssistantAgent;
  /** The agent that runs the coder's code, through the approval gate. */
  readonly executor: CodeExecutorAgent;
  readonly #ownedExecutor: CodeExecutor | undefined;

  constructor(options: MagenticOneOptions) {
    const { modelClient } = options;
    const webSurfer = new MultimodalWebSurfer({ ...options.webSurfer, name: "WebSurfer", modelClient });
    const fileSurfer = new FileSurfer({
      name: "FileSurfer",
      modelClient,
      ...(options.fileRoot ? { root: options.fileRoot } : {}),
    });
    const coder = new AssistantAgent({
      name: "Coder",
      modelClient,
      description:
        "A programmer: writes Python or shell code to compute, transform data, or make files, and fixes it from the executor's output.",
      systemMessage: CODER_SYSTEM_MESSAGE,
    });
    const ownedExecutor = options.codeExecutor === undefined ? new LocalCommandLineCodeExecutor() : undefined;
    const executor = new CodeExecutorAgent({
      name: "ComputerTerminal",
      description: "Runs the code blocks the Coder writes (after approval) and reports their output.",
      codeExecutor: options.codeExecutor ?? ownedExecutor!,
      approvalFunc: options.approvalFunc ?? REFUSE_ALL,
    });
    const participants: Participant[] = [fileSurfer, webSurfer, coder, executor];
    if (options.hilMode) {
      participants.push(
        new UserProxyAgent({
          name: "User",
          description:
            "The person who gave the task; ask them when the task is unclear or needs their decision.",
          ...(options.inputFunc ? { inputFunc: options.inputFunc } : {}),
        }),
      );
    }
    super({
      participants,
      modelClient,
      ...(options.terminationCondition ? { terminationCondition: options.terminationCondition } : {}),
      ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
      ...(options.maxStalls !== undefined ? { maxStalls: options.maxStalls } : {}),
    });
    this.webSurfer = webSurfer;
    this.fileSurfer = fileSurfer;
    this.coder = coder;
    this.executor = executor;
    this.#ownedExecutor = ownedExecutor;
  }

  /** Closes the browser and the other agents, and stops the code executor this team made. */
  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      await this.#ownedExecutor?.stop();
    }
  }
}
