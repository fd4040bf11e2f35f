/**
 * `GraphFlow`: a team whose turns follow a {@link DiGraph}. Every node that is ready speaks in the same
 * turn (fan-out runs in parallel); a node's outgoing edges that fire (unconditional, or whose condition
 * holds for its last message) count toward their targets' activation; the run ends when no node is ready.
 */
import { ValidationError } from "@autogen-ts/core";
import type { BaseAgentMessage, BaseChatMessage } from "../../messages/base.js";
import { isChatMessage } from "../../messages/base.js";
import { StopMessage } from "../../messages/chat.js";
import { BaseGroupChat, type BaseGroupChatOptions } from "../group-chat/base-group-chat.js";
import { BaseGroupChatManager, type GroupChatManagerOptions } from "../group-chat/manager.js";
import { type DiGraph, edgeFires } from "./digraph.js";

/** The stop reason of a run that went through the graph to its end. */
export const GRAPH_COMPLETE = "The graph is complete: no node is ready to run.";

/** Options of {@link GraphFlow}. */
export interface GraphFlowOptions extends BaseGroupChatOptions {
  /** The graph to follow; its nodes are the participants' names. */
  readonly graph: DiGraph;
}

/** Options of {@link GraphFlowManager}. */
export interface GraphFlowManagerOptions extends GroupChatManagerOptions {
  readonly graph: DiGraph;
}

type Counts = Record<string, Record<string, number>>;

/** Runs the ready nodes and moves activation along the edges. */
export class GraphFlowManager extends BaseGroupChatManager {
  readonly graph: DiGraph;
  /** Nodes ready to speak, in the order they became ready. */
  #ready: string[] = [];
  /** Nodes asked to speak whose turn has not come back yet (re-run after a cancellation or failure). */
  #inFlight: string[] = [];
  /** Per node and activation group: how many more edges must fire before the node is ready. */
  #remaining: Counts = {};
  /** Per node: the groups that made it ready (their counts start over when it runs). */
  #triggered: Record<string, string[]> = {};

  constructor(options: GraphFlowManagerOptions) {
    super(options);
    this.graph = options.graph;
    this.#restart();
  }

  /** Back to the entry points with every count full. */
  #restart(): void {
    this.#ready = [...this.graph.entryPoints];
    this.#inFlight = [];
    this.#triggered = {};
    this.#remaining = {};
    for (const node of this.graph.nodes) {
      const groups: Record<string, number> = {};
      for (const g of this.graph.activationGroups(node.name)) groups[g.name] = this.#full(node.name, g.name);
      this.#remaining[node.name] = groups;
    }
  }

  #full(node: string, group: string): number {
    const g = this.graph.activationGroups(node).find((x) => x.name === group);
    if (g === undefined) return 0;
    return g.activation === "all" ? g.size : 1;
  }

  protected async selectSpeaker(): Promise<readonly string[]> {
    if (this.#inFlight.length > 0) {
      // Turns that never came back (a cancelled or failed run) are taken again.
      this.#ready = [...this.#inFlight, ...this.#ready.filter((n) => !this.#inFlight.includes(n))];
      this.#inFlight = [];
    } else if (this.#ready.length === 0 && this.currentTurn === 0) {
      // The last run went through the graph: a new run starts it again.
      this.#restart();
    }
    if (this.#ready.length === 0) {
      await this.terminate(new StopMessage({ source: this.name, content: GRAPH_COMPLETE }));
      return [];
    }
    const ready = new Set(this.#ready);
    const speakers = this.graph.nodes.map((n) => n.name).filter((n) => ready.has(n));
    this.#ready = [];
    for (const speaker of speakers) {
      for (const group of this.#triggered[speaker] ?? []) {
        (this.#remaining[speaker] as Record<string, number>)[group] = this.#full(speaker, group);
      }
      delete this.#triggered[speaker];
    }
    this.#inFlight = speakers;
    return speakers;
  }

  protected override async onThreadUpdate(
    delta: readonly BaseAgentMessage[],
    speaker: string | undefined,
  ): Promise<void> {
    if (speaker === undefined) return;
    this.#inFlight = this.#inFlight.filter((n) => n !== speaker);
    const node = this.graph.node(speaker);
    if (node === undefined) return;
    const last = delta.filter(isChatMessage).at(-1) as BaseChatMessage | undefined;
    try {
      for (const edge of node.edges) {
        if (!edgeFires(edge, last)) continue;
        const counts = this.#remaining[edge.target] as Record<string, number>;
        const left = counts[edge.activationGroup] ?? 0;
        if (left === 0) continue; // already ready through this group
        counts[edge.activationGroup] = edge.activationCondition === "any" ? 0 : left - 1;
        if (counts[edge.activationGroup] === 0) {
          if (!this.#ready.includes(edge.target)) this.#ready.push(edge.target);
          const triggered = this.#triggered[edge.target] ?? [];
          triggered.push(edge.activationGroup);
          this.#triggered[edge.target] = triggered;
        }
      }
    } catch (error) {
      // A condition function that throws ends the run with its error.
      await this.terminate(
        undefined,
        new ValidationError(`An edge condition of node "${speaker}" failed: ${String(error)}`, {
          cause: error,
        }),
      );
    }
  }

  protected override async resetState(): Promise<void> {
    this.#restart();
  }

  protected override saveExtraState(): Record<string, unknown> {
    return {
      graph: {
        ready: [...this.#ready],
        inFlight: [...this.#inFlight],
        remaining: structuredClone(this.#remaining),
        triggered: structuredClone(this.#triggered),
      },
    };
  }

  protected override loadExtraState(state: Record<string, unknown>): void {
    const saved = state.graph as Record<string, unknown> | undefined;
    const known = (n: unknown) => typeof n === "string" && this.graph.node(n) !== undefined;
    const names = (v: unknown): v is string[] => Array.isArray(v) && v.every(known);
    const remaining = saved?.remaining as Counts | undefined;
    const triggered = saved?.triggered as Record<string, unknown> | undefined;
    const ok =
      saved !== undefined &&
      names(saved.ready) &&
      names(saved.inFlight) &&
      typeof remaining === "object" &&
      remaining !== null &&
      this.graph.nodes.every((n) =>
        this.graph
          .activationGroups(n.name)
          .every(
            (g) => Number.isInteger(remaining[n.name]?.[g.name]) && (remaining[n.name]?.[g.name] ?? -1) >= 0,
          ),
      ) &&
      typeof triggered === "object" &&
      triggered !== null &&
      Object.entries(triggered).every(([k, v]) => known(k) && Array.isArray(v));
    if (!ok) {
      throw new ValidationError("The saved state of the graph flow is malformed or of another graph", {
        code: "invalid_state",
      });
    }
    this.#ready = [...(saved.ready as string[])];
    this.#inFlight = [...(saved.inFlight as string[])];
    this.#remaining = structuredClone(remaining);
    this.#triggered = structuredClone(triggered) as Record<string, string[]>;
  }
}

/**
 * A team that follows a directed graph: sequences, parallel fan-out and joins, conditional branches and
 * loops with an exit condition. Build the graph with {@link DiGraphBuilder}.
 *
 * A run starts at the entry points and ends, with the stop reason {@link GRAPH_COMPLETE}, when no node is
 * ready; a run stopped earlier (by `maxTurns`, a termination condition or cancellation) continues from
 * where it stopped, and a run after a completed one starts the graph again.
 *
 * @example
 * ```ts
 * const builder = new DiGraphBuilder()
 *   .addNode(writer).addNode(reviewer).addNode(editor)
 *   .addEdge(writer, reviewer)
 *   .addEdge(reviewer, writer, { condition: "REVISE" })
 *   .addEdge(reviewer, editor, { condition: "APPROVE" });
 * const flow = new GraphFlow({ participants: builder.participants, graph: builder.build() });
 * const result = await flow.run({ task: "A short poem about rivers" });
 * ```
 */
export class GraphFlow extends BaseGroupChat {
  readonly graph: DiGraph;

  constructor(options: GraphFlowOptions) {
    super(options);
    const graph = options.graph;
    if (typeof graph?.node !== "function") {
      throw new ValidationError("GraphFlow needs a 'graph' (a DiGraph, e.g. from DiGraphBuilder.build())");
    }
    const participantNames = new Set(options.participants.map((p) => p.name));
    for (const node of graph.nodes) {
      if (!participantNames.has(node.name)) {
        throw new ValidationError(`The graph's node "${node.name}" is not a participant of the flow`);
      }
    }
    for (const name of participantNames) {
      if (graph.node(name) === undefined) {
        throw new ValidationError(`The participant "${name}" is not a node of the graph`);
      }
    }
    this.graph = graph;
  }

  protected createManager(options: GroupChatManagerOptions): BaseGroupChatManager {
    return new GraphFlowManager({ ...options, graph: this.graph });
  }
}
