/**
 * Guardrails and middleware: middleware around model calls and tool calls, input and output
 * guardrails on teams and agents that allow, rewrite or stop, and the built-ins (token and cost budget,
 * PII redaction, tool allowlist, approval before tools run, a moderation hook). See docs/guardrails.md.
 */

export type { TokenBudget, TokenBudgetOptions } from "./budget.js";
export { tokenBudget } from "./budget.js";
export { GUARDRAIL_DEFINITIONS } from "./components.js";
export type { GuardrailErrorOptions, GuardrailStage } from "./errors.js";
export { findGuardrailError, GuardrailError } from "./errors.js";
export type { ModelMiddleware, ModelRequest } from "./model-middleware.js";
export {
  MiddlewareChatCompletionClient,
  mapRequestText,
  wrapChatCompletionClient,
} from "./model-middleware.js";
export type { ModerationOptions, ModerationResult } from "./moderation.js";
export { blockedTerms, moderationGuardrail } from "./moderation.js";
export type { PiiKind, PiiOptions } from "./pii.js";
export { PII_KINDS, piiBlock, piiGuardrail, piiRedaction, redactPii } from "./pii.js";
export type { RunGuardrailsOptions } from "./runner-guardrails.js";
export { applyGuardrails, GuardedRunner, guardrailsOf, withGuardrails } from "./runner-guardrails.js";
export type { GuardedToolCallOptions, ToolCallRequest, ToolMiddleware } from "./tool-middleware.js";
export {
  callArguments,
  errorResult,
  MiddlewareTool,
  MiddlewareWorkbench,
  wrapTool,
  wrapWorkbench,
} from "./tool-middleware.js";
export type { ApprovalDecision, ToolAllowlist, ToolAllowlistOptions, ToolApprovalOptions } from "./tools.js";
export { toolAllowlist, toolApproval } from "./tools.js";
export type { GuardrailContext, GuardrailVerdict, TextGuardrail } from "./types.js";
export { ALLOW } from "./types.js";
