/**
 * @autogen-ts/core: the event-driven, message-passing agent runtime, and the model and tool interfaces
 * that every other autogen-ts package builds on.
 *
 * @packageDocumentation
 */
export { mapConcurrent, raceAbort, sleep } from "./async.js";
export { checkApproval } from "./code-execution/approval.js";
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
export type {
  ComponentDefinition,
  ComponentModel,
  ComponentRegistryLike,
  ComponentType,
  ConfigKey,
  DumpComponentOptions,
  DumpContext,
  EnvReference,
  LazyComponentDefinitions,
  LoadComponentOptions,
  LoadContext,
  SchemaIssue,
  UnsupportedProvider,
} from "./components/index.js";
export {
  COMPONENT_MODEL_SCHEMA,
  CORE_COMPONENT_DEFINITIONS,
  ComponentRegistry,
  checkSchema,
  compact,
  compileJavaScriptFunction,
  componentSlot,
  componentTypeSchema,
  coreComponentRegistry,
  dumpComponent,
  dumpComponentWith,
  dumpJavaScriptFunctionTool,
  dumpSecret,
  ENV_REFERENCE_SCHEMA,
  FUNCTION_TOOL_SCHEMA,
  functionToolDefinition,
  functionToolLanguage,
  isEnvReference,
  isUnsupportedProvider,
  joinPath,
  loadComponent,
  loadComponentWith,
  loadedConfigOf,
  loadJavaScriptFunctionTool,
  MODEL_INFO_SCHEMA,
  modelInfoFromConfig,
  modelInfoToConfig,
  SECRET_SCHEMA,
} from "./components/index.js";
export type {
  AutogenErrorOptions,
  CancelledErrorCode,
  DeliveryErrorCode,
  ErrorCode,
  ModelErrorCode,
  ToolErrorCode,
  ValidationErrorCode,
} from "./errors.js";
export {
  AutogenError,
  CancelledError,
  DeliveryError,
  errorMarker,
  isErrorInstance,
  ModelError,
  restoreErrorIdentity,
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
export { BaseChatCompletionClient } from "./models/base-client.js";
export { assertModelCanHandle } from "./models/capabilities.js";
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
export type { Agent, AgentFactory, AgentFactoryContext, MessageContext } from "./runtime/agent.js";
export type {
  AgentRuntime,
  PublishMessageOptions,
  RuntimeState,
  RuntimeStatus,
  SendMessageOptions,
} from "./runtime/agent-runtime.js";
export { assertRuntimeState } from "./runtime/agent-runtime.js";
export type { BaseAgentOptions, RegisterAgentOptions } from "./runtime/base-agent.js";
export { BaseAgent } from "./runtime/base-agent.js";
export type {
  Closure,
  ClosureAgentOptions,
  ClosureContext,
  RegisterClosureOptions,
  UnknownTypePolicy,
} from "./runtime/closure-agent.js";
export { ClosureAgent } from "./runtime/closure-agent.js";
export type { AgentIdLike, AgentMetadata, AgentType, TopicIdLike } from "./runtime/ids.js";
export { AgentId, DefaultTopicId, TopicId, validateAgentType, validateTopicType } from "./runtime/ids.js";
export type {
  InterventionHandler,
  InterventionResult,
  PublishInterventionContext,
  ResponseInterventionContext,
  SendInterventionContext,
} from "./runtime/intervention.js";
export { DropMessage } from "./runtime/intervention.js";
export type { Logger } from "./runtime/logger.js";
export { consoleLogger, silentLogger } from "./runtime/logger.js";
export type { MessageClass, MessageOf, MessageType, MessageTypeDescriptor } from "./runtime/message-type.js";
export { messageType, messageTypeName } from "./runtime/message-type.js";
export type {
  HandlerKind,
  HandlerOptions,
  MessageHandler,
  RoutedAgentOptions,
} from "./runtime/routed-agent.js";
export { RoutedAgent } from "./runtime/routed-agent.js";
export type { MessageSerializer, SerializedMessage } from "./runtime/serialization.js";
export { JSON_DATA_CONTENT_TYPE, jsonSerializer, SerializationRegistry } from "./runtime/serialization.js";
export type { SingleThreadedAgentRuntimeOptions } from "./runtime/single-threaded-runtime.js";
export { SingleThreadedAgentRuntime } from "./runtime/single-threaded-runtime.js";
export type { Subscription } from "./runtime/subscriptions.js";
export { DefaultSubscription, TypePrefixSubscription, TypeSubscription } from "./runtime/subscriptions.js";
export type { CheckpointErrorCode, StoreErrorCode } from "./stores/errors.js";
export { CheckpointError, StoreError } from "./stores/errors.js";
export type { FollowEventsOptions } from "./stores/follow.js";
export { followEvents } from "./stores/follow.js";
export type { InMemoryRunStoreOptions } from "./stores/memory-store.js";
export { InMemoryRunStore } from "./stores/memory-store.js";
export {
  checkWrites,
  conflict,
  DEFAULT_PAGE_LIMIT,
  leaseFree,
  MAX_PAGE_LIMIT,
  notFound,
  nowIso,
  pageLimit,
  parseCursor,
  runBusy,
  statusFilter,
  toJsonText,
} from "./stores/support.js";
export type {
  AnswerInputWrite,
  AppendEventsWrite,
  CheckpointRecord,
  CreateRunWrite,
  CreateThreadWrite,
  InputRequestRecord,
  JsonObject,
  JsonValue,
  LedgerEntryRecord,
  LedgerKind,
  ListCheckpointsOptions,
  ListRunsOptions,
  ListThreadsOptions,
  Page,
  PageOptions,
  PutCheckpointWrite,
  PutInputRequestWrite,
  PutLedgerWrite,
  ReadEventsOptions,
  RunErrorRecord,
  RunEventRecord,
  RunLease,
  RunRecord,
  RunStatus,
  RunStore,
  SetHeadWrite,
  StoreWrite,
  ThreadRecord,
  UpdateRunWrite,
  UpdateThreadWrite,
} from "./stores/types.js";
export { RUN_STATUSES } from "./stores/types.js";
export { otel } from "./telemetry/otel.js";
export type { FunctionToolContext, FunctionToolOptions } from "./tools/function-tool.js";
export { FunctionTool, toResultContent } from "./tools/function-tool.js";
export type { ZodSchemaLike } from "./tools/json-schema.js";
export { dropNullOptionals, isZodSchema, toStrictJsonSchema, zodToJsonSchema } from "./tools/json-schema.js";
export type { JsonSchemaValidator } from "./tools/json-schema-validator.js";
export { jsonSchemaValidator } from "./tools/json-schema-validator.js";
export type {
  StandardJSONSchemaV1,
  StandardSchemaV1,
  StandardValidation,
} from "./tools/standard-schema.js";
export { isStandardSchema, standardJsonSchema, validateStandard } from "./tools/standard-schema.js";
export type { StaticWorkbenchOptions, ToolOverride } from "./tools/static-workbench.js";
export { StaticWorkbench } from "./tools/static-workbench.js";
export type {
  ImageResultContent,
  JsonSchema,
  TextResultContent,
  Tool,
  ToolApprovalFunc,
  ToolApprovalRequest,
  ToolCallOptions,
  ToolResult,
  ToolResultContent,
  ToolSchema,
  Workbench,
} from "./tools/types.js";
export { toolResultText } from "./tools/types.js";
export { describeValidationError, formatPath } from "./tools/validation.js";
export { randomUuid } from "./uuid.js";
export { VERSION } from "./version.js";
