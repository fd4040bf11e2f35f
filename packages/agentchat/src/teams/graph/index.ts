/**
 * Graph flows: teams that follow a directed graph of participants.
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
} from "./digraph.js";
export { DiGraph, DiGraphBuilder, edgeFires } from "./digraph.js";
export type { GraphFlowManagerOptions, GraphFlowOptions } from "./graph-flow.js";
export { GRAPH_COMPLETE, GraphFlow, GraphFlowManager } from "./graph-flow.js";
