/**
 * Code execution interfaces and markdown code-block extraction.
 *
 * @packageDocumentation
 */
export { checkApproval } from "./approval.js";
export type { ExtractCodeBlocksOptions } from "./markdown.js";
export {
  approvalRequestFor,
  canonicalLanguage,
  codeBlocksToMarkdown,
  extractMarkdownCodeBlocks,
} from "./markdown.js";
export type {
  ApprovalFunc,
  ApprovalRequest,
  ApprovalResponse,
  CodeBlock,
  CodeExecuteOptions,
  CodeExecutor,
  CodeResult,
} from "./types.js";
