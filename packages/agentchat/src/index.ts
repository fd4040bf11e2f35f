/**
 * @autogen-ts/agentchat: agents, teams, termination conditions and the console view.
 *
 * @packageDocumentation
 */

/** The version of this package. */
export const VERSION = "0.1.0";

export type { CodeExecutorAgentOptions, CodeExecutorAgentState } from "./agents/code-executor-agent.js";
export { CodeExecutorAgent, describeCodeResult } from "./agents/code-executor-agent.js";
export type {
  AgentToolOptions,
  AssistantAgentOptions,
  AssistantAgentState,
  BaseChatAgentOptions,
  Handoff,
  HandoffOptions,
  HandoffSpec,
  MessageFilterAgentOptions,
  MessageFilterAgentState,
  MessageFilterConfig,
  PerSourceFilter,
  TaskRunnerToolOptions,
  ToolCallSummaryFormatter,
} from "./agents/index.js";
export {
  AgentTool,
  AssistantAgent,
  BaseChatAgent,
  filterMessages,
  MessageFilterAgent,
  TaskRunnerTool,
  taskMessages,
  taskResultText,
  toHandoff,
  validateAgentName,
} from "./agents/index.js";
export type {
  SocietyOfMindAgentOptions,
  SocietyOfMindAgentState,
} from "./agents/society-of-mind-agent.js";
export {
  DEFAULT_SOCIETY_INSTRUCTION,
  DEFAULT_SOCIETY_RESPONSE_PROMPT,
  SocietyOfMindAgent,
} from "./agents/society-of-mind-agent.js";
export type { InputFunc, UserInputRequest, UserProxyAgentOptions } from "./agents/user-proxy-agent.js";
export { terminalInput, UserProxyAgent } from "./agents/user-proxy-agent.js";
export type {
  AgentState,
  CallOptions,
  ChatAgent,
  Response,
  RunOptions,
  Task,
  TaskResult,
  TaskRunner,
} from "./base/index.js";
export { drainResponse, isResponse, isTaskResult } from "./base/index.js";
export type {
  FunctionalTerminationOptions,
  MaxMessageTerminationOptions,
  TerminationInput,
  TerminationPredicate,
  TextMentionTerminationOptions,
  TimeoutTerminationOptions,
  TokenUsageTerminationOptions,
} from "./conditions/index.js";
export {
  AndTerminationCondition,
  ExternalTermination,
  FunctionalTermination,
  FunctionCallTermination,
  HandoffTermination,
  MaxMessageTermination,
  OrTerminationCondition,
  SourceMatchTermination,
  StopMessageTermination,
  TerminatedError,
  TerminationCondition,
  TextMentionTermination,
  TextMessageTermination,
  TimeoutTermination,
  TokenUsageTermination,
} from "./conditions/index.js";
export type {
  CheckpointDocument,
  CheckpointMigration,
  DefinitionDescriptor,
  DurableResumeOptions,
  DurableRunnerOptions,
  DurableRunOptions,
  DurableRunResult,
  JournalEntry,
  JournalOptions,
  RunJournal,
} from "./durable/index.js";
export {
  CHECKPOINT_FORMAT_VERSION,
  createJournal,
  DurableRun,
  DurableRunner,
  definitionHash,
  describeChanges,
  describeDefinition,
  findInputRequired,
  InputRequiredError,
  isDurableRunResult,
  readCheckpoint,
} from "./durable/index.js";
export type {
  BaseMessageOptions,
  BuiltinAgentEvent,
  BuiltinChatMessage,
  CodeBlockItem,
  CodeExecutionEventOptions,
  CodeGenerationEventOptions,
  CodeResultItem,
  HandoffMessageOptions,
  MemoryQueryEventOptions,
  MemoryQueryItem,
  MessageJSON,
  MessageReader,
  ModelClientStreamingChunkEventOptions,
  MultiModalMessageOptions,
  SelectSpeakerEventOptions,
  StopMessageOptions,
  StructuredMessageOptions,
  TextMessageOptions,
  ThoughtEventOptions,
  ToolCallExecutionEventOptions,
  ToolCallRequestEventOptions,
  ToolCallSummaryMessageOptions,
  UserInputRequestedEventOptions,
} from "./messages/index.js";
export {
  BaseAgentEvent,
  BaseAgentMessage,
  BaseChatMessage,
  CodeExecutionEvent,
  CodeGenerationEvent,
  defaultMessageRegistry,
  HandoffMessage,
  isAgentEvent,
  isChatMessage,
  isTransient,
  MemoryQueryEvent,
  MessageRegistry,
  ModelClientStreamingChunkEvent,
  MultiModalMessage,
  messageFromJSON,
  SelectSpeakerEvent,
  StopMessage,
  StructuredMessage,
  TextMessage,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  ToolCallSummaryMessage,
  UserInputRequestedEvent,
} from "./messages/index.js";
export type {
  Activation,
  ActivationGroup,
  AddEdgeOptions,
  AddNodeOptions,
  BaseGroupChatOptions,
  CandidateFunc,
  DiGraphEdge,
  DiGraphEdgeSpec,
  DiGraphNode,
  DiGraphNodeSpec,
  DiGraphSpec,
  DistributedTeamOptions,
  EdgeCondition,
  GraphFlowManagerOptions,
  GraphFlowOptions,
  GroupChatManagerOptions,
  GroupChatSerializersOptions,
  LedgerReading,
  MagenticOneGroupChatOptions,
  MagenticOneOrchestratorOptions,
  Participant,
  ParticipantInfo,
  ProgressLedger,
  RoundRobinGroupChatOptions,
  SelectorContext,
  SelectorFunc,
  SelectorGroupChatOptions,
  SelectorReading,
  SwarmOptions,
  Team,
  TeamToolOptions,
} from "./teams/index.js";
export {
  BaseGroupChat,
  BaseGroupChatManager,
  DEFAULT_SELECTOR_PROMPT,
  DiGraph,
  DiGraphBuilder,
  edgeFires,
  GRAPH_COMPLETE,
  GraphFlow,
  GraphFlowManager,
  groupChatSerializers,
  isTeam,
  MagenticOneGroupChat,
  MagenticOneOrchestrator,
  progressLedgerSchema,
  RoundRobinGroupChat,
  RoundRobinGroupChatManager,
  readProgressLedger,
  readSelection,
  SelectorGroupChat,
  SelectorGroupChatManager,
  Swarm,
  SwarmGroupChatManager,
  TeamTool,
} from "./teams/index.js";
export type { SpanScope } from "./tracing/index.js";
export { TRACER_NAME } from "./tracing/index.js";
export type { ConsoleOptions, ConsoleOutput } from "./ui/index.js";
export { Console } from "./ui/index.js";
export { contentToStr, removeImages } from "./utils/remove-images.js";
