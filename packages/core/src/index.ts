/**
 * @autogen-ts/core: the event-driven, message-passing agent runtime, and the model and tool interfaces
 * that every other autogen-ts package builds on.
 *
 * @packageDocumentation
 */
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
