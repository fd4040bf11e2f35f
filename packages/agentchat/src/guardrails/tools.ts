/**
 * Tool guardrails: an allowlist (other tools are neither offered to the model nor run) and approval
 * before chosen tools run (by a function, or, in a durable run, as a person's input request that parks
 * the run until answered).
 */
import type { ToolResult } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { GuardrailError } from "./errors.js";
import type { ModelMiddleware } from "./model-middleware.js";
import { callArguments, errorResult, type ToolCallRequest, type ToolMiddleware } from "./tool-middleware.js";

/** Options of {@link toolAllowlist}. */
export interface ToolAllowlistOptions {
  /** Tool names allowed; a name ending in `*` is a prefix. */
  readonly allowed: readonly string[];
  /** A call of another tool: an error result the model reads (default), or the run stopped. */
  readonly onViolation?: "error" | "stop";
}

/** Both a tool middleware (refuses calls) and a model middleware (offers only allowed tools). */
export type ToolAllowlist = ToolMiddleware & ModelMiddleware;

/** Only the listed tools: wrap the tools (or workbench) and the model client with it. */
export function toolAllowlist(options: ToolAllowlistOptions): ToolAllowlist {
  if (!Array.isArray(options.allowed))
    throw new ValidationError("toolAllowlist needs an 'allowed' list of tool names");
  const allowed = (name: string) =>
    options.allowed.some((a) => (a.endsWith("*") ? name.startsWith(a.slice(0, -1)) : a === name));
  return {
    name: "tool_allowlist",
    transformRequest(request) {
      const tools = request.options.tools;
      if (tools === undefined) return request;
      return { ...request, options: { ...request.options, tools: tools.filter((t) => allowed(t.name)) } };
    },
    async wrapCall(call, next) {
      if (allowed(call.name)) return next(call);
      if (options.onViolation === "stop")
        throw new GuardrailError("tool_allowlist", "tool", `the tool ${call.name} is not allowed`);
      return errorResult(
        call.name,
        `Error: the tool ${call.name} is not allowed here. Allowed: ${options.allowed.join(", ")}.`,
      );
    },
  };
}

/** An approver's answer: true/false, or a decision with a reason the model reads when it is refused. */
export type ApprovalDecision = boolean | { readonly approved: boolean; readonly reason?: string };

/** Options of {@link toolApproval}. */
export interface ToolApprovalOptions {
  /** Tools that need approval (a name ending in `*` is a prefix); default every tool. */
  readonly tools?: readonly string[];
  /**
   * Decides in this process. In a durable run it is used only when the run may ask now (a terminal);
   * otherwise the request is kept in the store and the run waits (status `interrupted`).
   */
  readonly approve?: (call: {
    name: string;
    arguments: Record<string, unknown>;
  }) => ApprovalDecision | Promise<ApprovalDecision>;
}

const YES = /^\s*(y|yes|approve|approved|ok|allow)\b/i;

function decisionText(d: ApprovalDecision): string {
  if (typeof d === "boolean") return d ? "yes" : "no";
  return d.approved ? "yes" : `no${d.reason ? `: ${d.reason}` : ""}`;
}

function denied(call: ToolCallRequest, reason: string | undefined): ToolResult {
  return errorResult(
    call.name,
    `Error: the call of ${call.name} was not approved${reason ? `: ${reason}` : ""}.`,
  );
}

/**
 * Approval before chosen tools run. In a durable run (`DurableRunner`, a store) the question becomes an
 * input request (`Approve tool call name({...})? yes/no`): the run parks as `interrupted` and resumes
 * with the answer (`resume(runId, { input: { value: "yes" } })`); outside one, `approve` decides, and
 * without `approve` the run is stopped (nobody can answer).
 */
export function toolApproval(options: ToolApprovalOptions = {}): ToolMiddleware {
  const needs = (name: string) =>
    options.tools === undefined ||
    options.tools.some((t) => (t.endsWith("*") ? name.startsWith(t.slice(0, -1)) : t === name));
  return {
    name: "tool_approval",
    async wrapCall(call, next) {
      if (!needs(call.name)) return next(call);
      const args = callArguments(call);
      const journal = call.options.journal;
      if (journal !== undefined) {
        const approve = options.approve;
        const ask =
          approve === undefined
            ? undefined
            : async () => decisionText(await approve({ name: call.name, arguments: args }));
        const prompt = `Approve tool call ${call.name}(${JSON.stringify(args)})? Answer yes or no (with a reason).`;
        const answer = await journal.input(prompt, ask, { type: "string" });
        if (YES.test(answer)) return next(call);
        return denied(call, answer.replace(/^\s*no\b[:,]?\s*/i, "") || undefined);
      }
      if (options.approve === undefined)
        throw new GuardrailError(
          "tool_approval",
          "tool",
          `${call.name} needs approval and there is no approver (give 'approve', or run durably)`,
        );
      const decision = await options.approve({ name: call.name, arguments: args });
      const ok = typeof decision === "boolean" ? decision : decision.approved;
      return ok ? next(call) : denied(call, typeof decision === "boolean" ? undefined : decision.reason);
    },
  };
}
