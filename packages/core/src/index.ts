/**
 * @autogen-ts/core: the event-driven, message-passing agent runtime, and the model and tool interfaces
 * that every other autogen-ts package builds on.
 *
 * @packageDocumentation
 */
export type {
  ApprovalFunc,
  ApprovalRequest,
  ApprovalResponse,
  CodeBlock,
  CodeExecuteOptions,
  CodeExecutor,
  CodeResult,
  ExtractCodeBlocksOptions,
} from "./code-execution/index.js";
export {
  approvalRequestFor,
  canonicalLanguage,
  codeBlocksToMarkdown,
  extractMarkdownCodeBlocks,
} from "./code-execution/index.js";
export type { AutogenErrorOptions, ErrorCode } from "./errors.js";
export {
  AutogenError,
  CancelledError,
  DeliveryError,
  ModelError,
  ToolError,
  throwIfAborted,
  toCancelledError,
  ValidationError,
} from "./errors.js";
export type {
  ListMemoryOptions,
  ListMemoryState,
  Memory,
  MemoryCallOptions,
  MemoryContent,
  MemoryQueryResult,
  MemoryState,
  UpdateContextResult,
} from "./memory/index.js";
export { LIST_MEMORY_STATE_VERSION, ListMemory, MemoryMimeType } from "./memory/index.js";
export type {
  BufferedChatCompletionContextOptions,
  ChatCompletionContext,
  ChatCompletionContextOptions,
  ChatCompletionContextState,
  HeadAndTailChatCompletionContextOptions,
  TokenCounter,
  TokenLimitedChatCompletionContextOptions,
  UnboundedChatCompletionContextOptions,
} from "./model-context/index.js";
export {
  BaseChatCompletionContext,
  BufferedChatCompletionContext,
  CHAT_COMPLETION_CONTEXT_STATE_VERSION,
  HeadAndTailChatCompletionContext,
  TokenLimitedChatCompletionContext,
  UnboundedChatCompletionContext,
} from "./model-context/index.js";
export type { ResolveModelInfoOptions } from "./models/model-table.js";
export { DEFAULT_MODEL_INFO, lookupModel, resolveModelInfo } from "./models/model-table.js";
export type { ModelPrice, PriceTable } from "./models/pricing.js";
export { costOf, withCost } from "./models/pricing.js";
export { isStructuredOutputSchema, parseStructuredOutput } from "./models/structured.js";
export { estimateTextTokens, estimateTokens } from "./models/tokens.js";
export type {
  AssistantMessage,
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FinishReason,
  FunctionCall,
  FunctionExecutionResult,
  FunctionExecutionResultMessage,
  Image,
  LLMMessage,
  ModelInfo,
  RequestUsage,
  StructuredOutputSchema,
  SystemMessage,
  TokenLogprob,
  ToolChoice,
  UserContentPart,
  UserMessage,
} from "./models/types.js";
export { isCreateResult, ModelFamily } from "./models/types.js";
export { addUsage, emptyUsage, sumUsage, UsageTracker } from "./models/usage.js";
export type { FunctionToolContext, FunctionToolOptions } from "./tools/function-tool.js";
export { FunctionTool, toResultContent } from "./tools/function-tool.js";
export { dropNullOptionals, isZodSchema, toStrictJsonSchema, zodToJsonSchema } from "./tools/json-schema.js";
export type { StaticWorkbenchOptions } from "./tools/static-workbench.js";
export { StaticWorkbench } from "./tools/static-workbench.js";
export type {
  ImageResultContent,
  JsonSchema,
  TextResultContent,
  Tool,
  ToolCallOptions,
  ToolResult,
  ToolResultContent,
  ToolSchema,
  Workbench,
} from "./tools/types.js";
export { toolResultText } from "./tools/types.js";
export { describeValidationError, formatPath } from "./tools/validation.js";
