/**
 * Approval of tool calls: before the calls of one model reply run, each call of a tool that says
 * `needsApproval` is put to the agent's approval function, or, in a durable run, to a person through the
 * run's journal (a persisted request the run waits on). A refused call never runs; its result is an error
 * the model reads, with the reason. With neither a function nor a durable run, nobody can approve, and
 * the call is refused: approval is a gate, and a gate with no keeper stays shut.
 */
import type {
  ApprovalResponse,
  FunctionCall,
  FunctionExecutionResult,
  Tool,
  ToolApprovalFunc,
} from "@autogen-ts/core";
import type { RunJournal } from "../durable/journal.js";

const NOBODY: ApprovalResponse = {
  approved: false,
  reason: "the tool needs approval and the agent has no toolApprovalFunc (and the run is not durable)",
};

/** What a person is asked about one call. */
function approvalPrompt(call: FunctionCall, tool: Tool): string {
  return `Approve a call of the tool "${call.name}" (${tool.description})?\nArguments: ${call.arguments}`;
}

/**
 * The refusals among `calls` by call id, after asking about every call that needs approval. All the
 * requests of one reply are asked (and, in a durable run, persisted) before the first refusal or
 * interruption is reported, so that a person sees every question the run waits on at once.
 */
export async function refusedCalls(
  calls: readonly FunctionCall[],
  tools: ReadonlyMap<string, Tool>,
  approvalFunc: ToolApprovalFunc | undefined,
  journal: RunJournal | undefined,
  signal: AbortSignal | undefined,
): Promise<Map<string, FunctionExecutionResult>> {
  const refused = new Map<string, FunctionExecutionResult>();
  const asked = calls.filter((c) => tools.get(c.name)?.needsApproval === true);
  if (asked.length === 0) return refused;
  const verdicts = await Promise.allSettled(
    asked.map((call) => {
      const tool = tools.get(call.name) as Tool;
      const ask =
        approvalFunc === undefined
          ? undefined
          : async () =>
              approvalFunc({ call, description: tool.description }, signal === undefined ? {} : { signal });
      if (journal !== undefined) return journal.approval(approvalPrompt(call, tool), ask);
      return ask === undefined ? NOBODY : ask();
    }),
  );
  for (const [i, verdict] of verdicts.entries()) {
    if (verdict.status === "rejected") throw verdict.reason;
    const call = asked[i] as FunctionCall;
    if (verdict.value.approved) continue;
    refused.set(call.id, {
      content: `Error: the call was not approved. Reason: ${verdict.value.reason}`,
      name: call.name,
      callId: call.id,
      isError: true,
    });
  }
  return refused;
}
