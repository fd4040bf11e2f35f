/**
 * `DiGraph`: the directed graph a {@link GraphFlow} follows, and `DiGraphBuilder`, the fluent way to make
 * one. A graph is checked when it is made: unknown nodes, duplicate edges, no entry point, unreachable
 * nodes and cycles that nothing can ever leave are refused with a {@link ValidationError}.
 */
import { ValidationError } from "@autogen-ts/core";
import type { BaseChatMessage } from "../../messages/base.js";
import type { Participant } from "../team.js";

/** How a node with several incoming edges becomes ready: when all of them fired, or the first one. */
export type Activation = "all" | "any";

/**
 * When an edge fires after its source spoke: a string the source's last message must contain, or a
 * function of that message. Without one the edge always fires.
 */
export type EdgeCondition = string | ((message: BaseChatMessage) => boolean);

/** An edge as written: from the node that lists it to `target`. */
export interface DiGraphEdgeSpec {
  readonly target: string;
  readonly condition?: EdgeCondition | undefined;
  /**
   * The incoming edges of a node are counted in groups; the node becomes ready when one group is
   * satisfied. By default the edges that come from ahead of the node form one group, and each edge that
   * closes a loop back to it is a group of its own (so a loop re-enters a node without waiting for the
   * edges that first led there).
   */
  readonly activationGroup?: string | undefined;
  /** How the edges of this edge's group are counted (default: the target node's activation). */
  readonly activationCondition?: Activation | undefined;
}

/** A node as written: a participant's name, its activation and its outgoing edges. */
export interface DiGraphNodeSpec {
  readonly name: string;
  /** Default `"all"`: a join waits for every incoming edge of its group. */
  readonly activation?: Activation | undefined;
  readonly edges?: readonly DiGraphEdgeSpec[] | undefined;
}

/** A whole graph as written. */
export interface DiGraphSpec {
  readonly nodes: readonly DiGraphNodeSpec[];
  /** Where a run starts; by default every node without incoming edges. */
  readonly entryPoints?: readonly string[] | undefined;
}

/** A checked edge. */
export interface DiGraphEdge {
  readonly source: string;
  readonly target: string;
  readonly condition: EdgeCondition | undefined;
  readonly activationGroup: string;
  readonly activationCondition: Activation;
  /** True when this edge closes a loop (it leads back to a node on the way to its source). */
  readonly loopBack: boolean;
}

/** A checked node. */
export interface DiGraphNode {
  readonly name: string;
  readonly activation: Activation;
  readonly edges: readonly DiGraphEdge[];
}

/** One activation group of a node's incoming edges. */
export interface ActivationGroup {
  readonly name: string;
  readonly activation: Activation;
  /** How many edges the group has. */
  readonly size: number;
}

/**
 * A validated directed graph of participants.
 *
 * @example
 * ```ts
 * const graph = new DiGraph({
 *   nodes: [
 *     { name: "writer", edges: [{ target: "reviewer" }] },
 *     { name: "reviewer", edges: [{ target: "writer", condition: "REVISE" }, { target: "editor", condition: "APPROVE" }] },
 *     { name: "editor" },
 *   ],
 * });
 * ```
 */
export class DiGraph {
  /** The nodes, in the order they were given. */
  readonly nodes: readonly DiGraphNode[];
  /** Where a run starts. */
  readonly entryPoints: readonly string[];
  /** True when the graph has at least one loop (every loop can be left: it has a conditional edge). */
  readonly hasCycles: boolean;
  readonly #byName: ReadonlyMap<string, DiGraphNode>;
  readonly #groups: ReadonlyMap<string, readonly ActivationGroup[]>;

  constructor(spec: DiGraphSpec) {
    const nodeSpecs: readonly DiGraphNodeSpec[] = Array.isArray(spec?.nodes) ? spec.nodes : [];
    if (nodeSpecs.length === 0) {
      throw new ValidationError("A graph needs at least one node");
    }
    const names = new Set<string>();
    for (const node of nodeSpecs) {
      if (typeof node?.name !== "string" || node.name === "") {
        throw new ValidationError("Every graph node needs a name");
      }
      if (names.has(node.name)) throw new ValidationError(`The node "${node.name}" is in the graph twice`);
      if (node.activation !== undefined && node.activation !== "all" && node.activation !== "any") {
        throw new ValidationError(`Node "${node.name}": activation must be "all" or "any"`);
      }
      names.add(node.name);
    }
    const successors = new Map<string, string[]>();
    for (const node of nodeSpecs) {
      const targets: string[] = [];
      for (const edge of node.edges ?? []) {
        if (!names.has(edge?.target)) {
          throw new ValidationError(
            `The edge ${node.name} -> ${String(edge?.target)} leads to an unknown node (nodes: ${[...names].join(", ")})`,
          );
        }
        if (targets.includes(edge.target)) {
          throw new ValidationError(`The edge ${node.name} -> ${edge.target} is in the graph twice`);
        }
        const condition = edge.condition;
        if (condition !== undefined && typeof condition !== "string" && typeof condition !== "function") {
          throw new ValidationError(
            `The edge ${node.name} -> ${edge.target}: a condition is a string or a function`,
          );
        }
        if (condition === "") {
          throw new ValidationError(`The edge ${node.name} -> ${edge.target} has an empty condition`);
        }
        targets.push(edge.target);
      }
      successors.set(node.name, targets);
    }

    const entryPoints = spec.entryPoints?.length
      ? [...new Set(spec.entryPoints)]
      : nodeSpecs
          .map((n) => n.name)
          .filter((name) => !nodeSpecs.some((n) => n.edges?.some((e) => e.target === name)));
    for (const entry of entryPoints) {
      if (!names.has(entry))
        throw new ValidationError(`The entry point "${entry}" is not a node of the graph`);
    }
    // The checks and their wording follow AutoGen's DiGraph.graph_validate, so programs that match on them
    // keep working; each adds what to do about it.
    if (entryPoints.length === 0) {
      throw new ValidationError(
        "Graph must have at least one start node: every node has an incoming edge (no entry point). " +
          "Name where a run starts with setEntryPoint",
      );
    }
    if (nodeSpecs.every((n) => (n.edges ?? []).length > 0)) {
      throw new ValidationError(
        "Graph must have at least one leaf node: every node has an outgoing edge, so no node ends the run",
      );
    }
    for (const node of nodeSpecs) {
      const edges = node.edges ?? [];
      const conditional = edges.filter((e) => e.condition !== undefined).length;
      if (conditional > 0 && conditional < edges.length) {
        throw new ValidationError(
          `Node '${node.name}' has a mix of conditional and unconditional edges: give every edge out of it a ` +
            "condition, or none",
        );
      }
    }

    // Loop-back edges: found by a depth-first walk from the entry points, in the order things were added.
    const loopBack = new Set<string>();
    const reached = new Set<string>();
    const onPath = new Set<string>();
    const walk = (name: string): void => {
      reached.add(name);
      onPath.add(name);
      for (const target of successors.get(name) ?? []) {
        if (onPath.has(target)) loopBack.add(`${name}\u0000${target}`);
        else if (!reached.has(target)) walk(target);
      }
      onPath.delete(name);
    };
    for (const entry of entryPoints) if (!reached.has(entry)) walk(entry);
    const unreachable = [...names].filter((n) => !reached.has(n));
    if (unreachable.length > 0) {
      throw new ValidationError(
        `No path from the entry points (${entryPoints.join(", ")}) reaches ${unreachable.join(", ")}`,
      );
    }

    const unconditional = findUnconditionalCycle(nodeSpecs);
    if (unconditional !== undefined) {
      throw new ValidationError(
        `Cycle detected without exit condition: ${unconditional.join(" -> ")}. The cycle could never end: ` +
          "give one of its edges a condition",
      );
    }

    const activationOf = new Map(nodeSpecs.map((n) => [n.name, n.activation ?? "all"] as const));
    const nodes: DiGraphNode[] = nodeSpecs.map((node) => ({
      name: node.name,
      activation: node.activation ?? "all",
      edges: (node.edges ?? []).map((edge) => {
        const isLoopBack = loopBack.has(`${node.name}\u0000${edge.target}`);
        return {
          source: node.name,
          target: edge.target,
          condition: edge.condition,
          activationGroup: edge.activationGroup ?? (isLoopBack ? `loop:${node.name}` : edge.target),
          activationCondition: edge.activationCondition ?? (activationOf.get(edge.target) as Activation),
          loopBack: isLoopBack,
        };
      }),
    }));

    const groups = new Map<string, ActivationGroup[]>();
    const firstSource = new Map<string, string>();
    for (const edge of nodes.flatMap((n) => n.edges)) {
      if (edge.activationCondition !== "all" && edge.activationCondition !== "any") {
        throw new ValidationError(
          `The edge ${edge.source} -> ${edge.target}: activationCondition must be "all" or "any"`,
        );
      }
      const list = groups.get(edge.target) ?? [];
      const index = list.findIndex((g) => g.name === edge.activationGroup);
      const group = list[index];
      if (group === undefined) {
        list.push({ name: edge.activationGroup, activation: edge.activationCondition, size: 1 });
        firstSource.set(`${edge.target}\u0000${edge.activationGroup}`, edge.source);
      } else if (group.activation !== edge.activationCondition) {
        const first = firstSource.get(`${edge.target}\u0000${group.name}`);
        throw new ValidationError(
          `Conflicting activation conditions for target '${edge.target}' group '${group.name}': ` +
            `'${group.activation}' (from node '${first}') and '${edge.activationCondition}' (from node '${edge.source}')`,
        );
      } else {
        list[index] = { ...group, size: group.size + 1 };
      }
      groups.set(edge.target, list);
    }

    this.nodes = nodes;
    this.entryPoints = entryPoints;
    this.hasCycles = loopBack.size > 0;
    this.#byName = new Map(nodes.map((n) => [n.name, n]));
    this.#groups = groups;
  }

  /** The node of that name. */
  node(name: string): DiGraphNode | undefined {
    return this.#byName.get(name);
  }

  /** Each node's parents (the sources of its incoming edges), in the order the nodes were given. */
  getParents(): Record<string, string[]> {
    const parents: Record<string, string[]> = Object.fromEntries(this.nodes.map((n) => [n.name, []]));
    for (const edge of this.nodes.flatMap((n) => n.edges)) parents[edge.target]?.push(edge.source);
    return parents;
  }

  /** The nodes a run starts at: the entry points (by default, the nodes without incoming edges). */
  getStartNodes(): Set<string> {
    return new Set(this.entryPoints);
  }

  /** The nodes without outgoing edges. */
  getLeafNodes(): Set<string> {
    return new Set(this.nodes.filter((n) => n.edges.length === 0).map((n) => n.name));
  }

  /** The activation groups of a node's incoming edges (none for a node nothing leads to). */
  activationGroups(name: string): readonly ActivationGroup[] {
    return this.#groups.get(name) ?? [];
  }

  /** The graph as JSON (a function condition shows as `"<function>"`). */
  toJSON(): Record<string, unknown> {
    return {
      entryPoints: [...this.entryPoints],
      nodes: this.nodes.map((n) => ({
        name: n.name,
        activation: n.activation,
        edges: n.edges.map((e) => ({
          target: e.target,
          condition: typeof e.condition === "function" ? "<function>" : e.condition,
          activationGroup: e.activationGroup,
          activationCondition: e.activationCondition,
        })),
      })),
    };
  }
}

/** True when an edge fires for the source's last chat message. */
export function edgeFires(edge: DiGraphEdge, message: BaseChatMessage | undefined): boolean {
  const condition = edge.condition;
  if (condition === undefined) return true;
  if (message === undefined) return false;
  if (typeof condition === "string") return message.toModelText().includes(condition);
  return condition(message) === true;
}

/** A cycle made only of unconditional edges, as a path that returns to its start, or undefined. */
function findUnconditionalCycle(nodes: readonly DiGraphNodeSpec[]): string[] | undefined {
  const next = new Map(
    nodes.map((n) => [n.name, (n.edges ?? []).filter((e) => e.condition === undefined).map((e) => e.target)]),
  );
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const at = path.indexOf(name);
    if (at >= 0) return [...path.slice(at), name];
    if (done.has(name)) return undefined;
    path.push(name);
    for (const target of next.get(name) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(name);
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Options of {@link DiGraphBuilder.addNode}. */
export interface AddNodeOptions {
  /** Default `"all"`. */
  readonly activation?: Activation;
}

/** Options of {@link DiGraphBuilder.addEdge}. */
export interface AddEdgeOptions {
  readonly condition?: EdgeCondition;
  readonly activationGroup?: string;
  readonly activationCondition?: Activation;
}

/**
 * Builds a {@link DiGraph} step by step from the participants themselves.
 *
 * @example
 * ```ts
 * const builder = new DiGraphBuilder()
 *   .addNode(writer).addNode(reviewer).addNode(editor)
 *   .addEdge(writer, reviewer)
 *   .addEdge(reviewer, writer, { condition: "REVISE" })
 *   .addEdge(reviewer, editor, { condition: (m) => m.toModelText().includes("APPROVE") });
 * const flow = new GraphFlow({ participants: builder.participants, graph: builder.build() });
 * ```
 */
export class DiGraphBuilder {
  readonly #nodes = new Map<string, { activation: Activation; edges: DiGraphEdgeSpec[] }>();
  readonly #participants: Participant[] = [];
  #entryPoints: string[] = [];

  /** The participants added as nodes, in order: pass them to the {@link GraphFlow}. */
  get participants(): readonly Participant[] {
    return [...this.#participants];
  }

  /** Adds a participant as a node. */
  addNode(participant: Participant, options: AddNodeOptions = {}): this {
    const name = participant?.name;
    if (typeof name !== "string") throw new ValidationError("addNode needs an agent or a team");
    if (this.#nodes.has(name)) throw new ValidationError(`The node "${name}" was already added`);
    this.#nodes.set(name, { activation: options.activation ?? "all", edges: [] });
    this.#participants.push(participant);
    return this;
  }

  /** Adds an edge between two nodes (participants or their names). */
  addEdge(source: Participant | string, target: Participant | string, options: AddEdgeOptions = {}): this {
    const from = nameOf(source);
    const node = this.#nodes.get(from);
    if (node === undefined) {
      throw new ValidationError(
        `The edge ${from} -> ${nameOf(target)} starts at an unknown node; add it first`,
      );
    }
    node.edges.push({ target: nameOf(target), ...options });
    return this;
  }

  /**
   * Adds one conditional edge per entry of `branches`, from a condition string (which the source's last
   * message must contain) to its target, as AutoGen's `add_conditional_edges` does.
   *
   * @example
   * ```ts
   * builder.addConditionalEdges(reviewer, { REVISE: writer, APPROVE: editor });
   * ```
   */
  addConditionalEdges(
    source: Participant | string,
    branches: Readonly<Record<string, Participant | string>>,
  ): this {
    for (const [condition, target] of Object.entries(branches)) this.addEdge(source, target, { condition });
    return this;
  }

  /** Names where a run starts (by default: every node without incoming edges). */
  setEntryPoint(...nodes: (Participant | string)[]): this {
    this.#entryPoints = nodes.map(nameOf);
    return this;
  }

  /** Checks the graph and returns it; throws a {@link ValidationError} saying what is wrong. */
  build(): DiGraph {
    return new DiGraph({
      nodes: [...this.#nodes].map(([name, n]) => ({ name, activation: n.activation, edges: n.edges })),
      entryPoints: this.#entryPoints,
    });
  }
}

function nameOf(node: Participant | string): string {
  return typeof node === "string" ? node : node.name;
}
