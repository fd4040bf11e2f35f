/**
 * Teams: group chats of agents on the core runtime.
 */
export type {
  Activation,
  ActivationGroup,
  AddEdgeOptions,
  AddNodeOptions,
  DiGraphEdge,
  DiGraphEdgeSpec,
  DiGraphNode,
  DiGraphNodeSpec,
  DiGraphSpec,
  EdgeCondition,
  GraphFlowManagerOptions,
  GraphFlowOptions,
} from "./graph/index.js";
export {
  DiGraph,
  DiGraphBuilder,
  edgeFires,
  GRAPH_COMPLETE,
  GraphFlow,
  GraphFlowManager,
} from "./graph/index.js";
export type { BaseGroupChatOptions, DistributedTeamOptions } from "./group-chat/base-group-chat.js";
export { BaseGroupChat } from "./group-chat/base-group-chat.js";
export type { GroupChatManagerOptions, ParticipantInfo } from "./group-chat/manager.js";
export { BaseGroupChatManager } from "./group-chat/manager.js";
export type { GroupChatSerializersOptions } from "./group-chat/serializers.js";
export { groupChatSerializers } from "./group-chat/serializers.js";
export type {
  LedgerReading,
  MagenticOneGroupChatOptions,
  MagenticOneOrchestratorOptions,
  ProgressLedger,
} from "./magentic-one/index.js";
export {
  MagenticOneGroupChat,
  MagenticOneOrchestrator,
  progressLedgerSchema,
  readProgressLedger,
} from "./magentic-one/index.js";
export type { RoundRobinGroupChatOptions } from "./round-robin.js";
export { RoundRobinGroupChat, RoundRobinGroupChatManager } from "./round-robin.js";
export type {
  CandidateFunc,
  SelectorContext,
  SelectorFunc,
  SelectorGroupChatOptions,
  SelectorReading,
} from "./selector.js";
export {
  DEFAULT_SELECTOR_PROMPT,
  readSelection,
  SelectorGroupChat,
  SelectorGroupChatManager,
} from "./selector.js";
export type { SwarmOptions } from "./swarm.js";
export { Swarm, SwarmGroupChatManager } from "./swarm.js";
export type { Participant, Team } from "./team.js";
export { isTeam } from "./team.js";
export type { TeamToolOptions } from "./team-tool.js";
export { TeamTool } from "./team-tool.js";
