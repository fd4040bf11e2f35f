/**
 * The approval gate in front of code execution, once for every executor and agent that has one.
 */
import { throwIfAborted } from "../errors.js";
import { approvalRequestFor } from "./markdown.js";
import type { ApprovalFunc, CodeBlock, CodeResult } from "./types.js";

/**
 * Asks `approval` about `blocks`: undefined when they may run (or there is no gate), otherwise the
 * result a refusal stands for (`exitCode` 1, `approved: false`, the reason in `output`). Cancelling
 * through `signal` while the gate decides rejects with a `CancelledError`.
 */
export async function checkApproval(
  approval: ApprovalFunc | undefined,
  blocks: readonly CodeBlock[],
  signal: AbortSignal | undefined,
): Promise<CodeResult | undefined> {
  if (approval === undefined) return undefined;
  const verdict = await approval(approvalRequestFor(blocks), signal ? { signal } : {});
  throwIfAborted(signal);
  if (verdict.approved) return undefined;
  return {
    exitCode: 1,
    output: `Code execution was not approved. Reason: ${verdict.reason}`,
    approved: false,
  };
}
