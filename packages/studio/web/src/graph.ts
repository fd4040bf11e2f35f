/**
 * The builder's graph of a component document: a node for every nested component (its id is the
 * component's JSON pointer), an edge from each to the components it holds (labelled by the field), and
 * for a GraphFlow the flow's own edges between participants (with their conditions). The document stays
 * the one source of truth: the graph is derived from it, so visual and JSON edits cannot disagree.
 */
import type { Component } from "./api.ts";
import { isComponent, join, shortName } from "./doc.ts";

export interface GraphNode {
  id: string;
  component: Component;
  depth: number;
  /** The field path under the parent (`participants/0`, `model_client`). */
  field: string;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: "holds" | "flow";
}

/** Every component in `doc`, depth first, and the edges between them. */
export function graphOf(doc: Component): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const visit = (component: Component, pointer: string, depth: number, field: string) => {
    nodes.push({ id: pointer, component, depth, field });
    const walk = (value: unknown, at: string, path: string) => {
      if (isComponent(value)) {
        edges.push({ id: `${pointer}->${at}`, source: pointer, target: at, label: path, kind: "holds" });
        visit(value, at, depth + 1, path);
        return;
      }
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, join(at, i), `${path}[${i}]`);
      } else if (value && typeof value === "object")
        for (const [k, v] of Object.entries(value)) walk(v, join(at, k), `${path}.${k}`);
    };
    for (const [key, value] of Object.entries(component.config ?? {}))
      walk(value, join(pointer, "config", key), key);
  };
  visit(doc, "", 0, "");
  // GraphFlow: the flow's edges join participants by name.
  for (const node of nodes) {
    if (shortName(node.component.provider) !== "GraphFlow") continue;
    const participants = (node.component.config.participants ?? []) as Component[];
    const byName = new Map(
      participants.map((p, i) => [String(p.config?.name ?? ""), join(node.id, "config", "participants", i)]),
    );
    const graph = node.component.config.graph as
      | {
          nodes?: {
            name: string;
            edges?: { target: string; condition?: unknown; activation_condition?: string }[];
            activation?: string;
          }[];
        }
      | undefined;
    for (const n of graph?.nodes ?? []) {
      for (const [i, e] of (n.edges ?? []).entries()) {
        const source = byName.get(n.name);
        const target = byName.get(e.target);
        if (!source || !target) continue;
        const condition =
          e.condition === undefined || e.condition === null
            ? ""
            : typeof e.condition === "string"
              ? `if "${e.condition}"`
              : "if condition";
        edges.push({
          id: `flow:${n.name}->${e.target}:${i}`,
          source,
          target,
          label:
            [condition, n.activation ? `activation ${n.activation}` : ""].filter(Boolean).join(" · ") ||
            "next",
          kind: "flow",
        });
      }
    }
  }
  return { nodes, edges };
}

/** Where a component of type `added` goes in `target` (a field and whether it is a list), if anywhere. */
export function slotFor(target: Component, added: string): { field: string; list: boolean } | undefined {
  const type = target.component_type;
  const name = shortName(target.provider);
  if (type === "team") {
    if (added === "agent" || added === "team") return { field: "participants", list: true };
    if (added === "termination") return { field: "termination_condition", list: false };
    if (added === "model" && name !== "RoundRobinGroupChat" && name !== "Swarm" && name !== "GraphFlow")
      return { field: "model_client", list: false };
  }
  if (type === "agent") {
    if (added === "model") return { field: "model_client", list: false };
    if (added === "tool") return { field: "tools", list: true };
    if (added === "workbench") return { field: "workbench", list: true };
  }
  if (type === "workbench" && added === "tool") return { field: "tools", list: true };
  if (type === "termination" && added === "termination" && Array.isArray(target.config.conditions))
    return { field: "conditions", list: true };
  return undefined;
}

/** A name not yet taken by a participant of `team` (`assistant_agent`, `assistant_agent_2`, ...). */
export function freeName(team: Component, name: string): string {
  const taken = new Set(((team.config.participants ?? []) as Component[]).map((p) => String(p.config?.name)));
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
  return candidate;
}
