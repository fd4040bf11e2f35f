/**
 * A {@link DiGraph} as AutoGen writes it in a `GraphFlow` config:
 * `{"nodes": {"<name>": {"name", "edges": [{"target", "condition", "activation_group",
 * "activation_condition"}], "activation"}}, "default_start_node"}`.
 *
 * Conditions are strings (the edge fires when the source's last message contains it) or null; a function
 * condition cannot be written. An `activation_group` equal to the edge's target is AutoGen's default and
 * loads as our default (so an edge that closes a loop gets a group of its own, and a loop never waits for
 * the edges that first led into it). Several entry points are written as `entry_points` (ours).
 */
import type { JsonSchema, LoadContext } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import type { Activation, DiGraphEdgeSpec, DiGraphNodeSpec } from "../teams/graph/digraph.js";
import { DiGraph } from "../teams/graph/digraph.js";

const ACTIVATION: JsonSchema = { enum: ["all", "any"] };

/** The JSON Schema of AutoGen's `DiGraph`. */
export const DIGRAPH_SCHEMA: JsonSchema = {
  type: "object",
  required: ["nodes"],
  properties: {
    nodes: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1 },
          activation: ACTIVATION,
          edges: {
            type: "array",
            items: {
              type: "object",
              required: ["target"],
              properties: {
                target: { type: "string", minLength: 1 },
                condition: { type: ["string", "null"] },
                activation_group: { type: "string" },
                activation_condition: ACTIVATION,
              },
            },
          },
        },
      },
    },
    default_start_node: { type: ["string", "null"] },
    entry_points: { type: "array", items: { type: "string" } },
  },
};

/** Builds the graph of a `GraphFlow` config; a graph that does not check out names `config.graph`. */
export function loadDiGraph(raw: Readonly<Record<string, unknown>>, context: LoadContext): DiGraph {
  const nodes: DiGraphNodeSpec[] = [];
  for (const [key, value] of Object.entries(raw.nodes as Record<string, Record<string, unknown>>)) {
    if (value.name !== key) {
      throw context.error(
        ["graph", "nodes", key, "name"],
        `is "${String(value.name)}", not its key "${key}"`,
      );
    }
    const edges = ((value.edges ?? []) as readonly Record<string, unknown>[]).map((edge): DiGraphEdgeSpec => {
      const group = edge.activation_group;
      return {
        target: edge.target as string,
        ...(typeof edge.condition === "string" ? { condition: edge.condition } : {}),
        ...(typeof group === "string" && group !== "" && group !== edge.target
          ? { activationGroup: group }
          : {}),
        ...(edge.activation_condition === undefined
          ? {}
          : { activationCondition: edge.activation_condition as Activation }),
      };
    });
    nodes.push({
      name: key,
      ...(value.activation === undefined ? {} : { activation: value.activation as Activation }),
      edges,
    });
  }
  const entryPoints = Array.isArray(raw.entry_points)
    ? (raw.entry_points as string[])
    : typeof raw.default_start_node === "string" && raw.default_start_node !== ""
      ? [raw.default_start_node]
      : undefined;
  try {
    return new DiGraph({ nodes, ...(entryPoints ? { entryPoints } : {}) });
  } catch (error) {
    if (ValidationError.isInstance(error)) throw context.error("graph", error.message);
    throw error;
  }
}

/** The entry points a graph gets when none are named: the nodes nothing leads to. */
function defaultEntryPoints(graph: DiGraph): string[] {
  const targets = new Set(graph.nodes.flatMap((n) => n.edges.map((e) => e.target)));
  return graph.nodes.map((n) => n.name).filter((n) => !targets.has(n));
}

/**
 * Writes a graph in AutoGen's layout.
 *
 * @throws {@link ValidationError} when an edge's condition is a function (it has no JSON form).
 */
export function dumpDiGraph(graph: DiGraph, teamName: string): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const node of graph.nodes) {
    nodes[node.name] = {
      name: node.name,
      edges: node.edges.map((edge) => {
        if (typeof edge.condition === "function") {
          throw new ValidationError(
            `GraphFlow "${teamName}": the edge ${edge.source} -> ${edge.target} has a function condition, which a component document cannot hold (functions are not serialisable); use a string condition (the edge fires when the source's last message contains it) to dump the graph`,
            { code: "invalid_config" },
          );
        }
        const ourDefault = edge.loopBack ? `loop:${edge.source}` : edge.target;
        return {
          target: edge.target,
          condition: edge.condition ?? null,
          activation_group: edge.activationGroup === ourDefault ? edge.target : edge.activationGroup,
          activation_condition: edge.activationCondition,
        };
      }),
      activation: node.activation,
    };
  }
  const defaults = defaultEntryPoints(graph);
  const entries = graph.entryPoints;
  const implicit = entries.length === defaults.length && entries.every((e) => defaults.includes(e));
  if (implicit) return { nodes, default_start_node: null };
  if (entries.length === 1) return { nodes, default_start_node: entries[0] };
  return { nodes, default_start_node: null, entry_points: [...entries] };
}
