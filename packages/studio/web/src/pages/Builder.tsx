/**
 * The builder: a team (or any component) as a graph (React Flow), a form for the selected component's
 * config generated from its provider's schema, and the JSON beside them (CodeMirror). All three edit
 * one document, so visual and JSON edits round-trip losslessly. Components come from the gallery by
 * drag and drop onto a node, or by keyboard: select a node, then "Add <label>". The server checks the
 * document as it changes; its issue is marked on the node, the form field and the JSON.
 */
import {
  Background,
  Controls,
  type Edge,
  Handle,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ApiError } from "../api.ts";
import {
  type Component,
  type GalleryItem,
  gallery,
  type Issue,
  loadProviders,
  type Provider,
} from "../api.ts";
import { get, isComponent, join, set, shortName } from "../doc.ts";
import { freeName, graphOf, slotFor } from "../graph.ts";
import JsonEditor from "../JsonEditor.tsx";
import { navigate, type Route } from "../router.ts";
import { SchemaForm } from "../SchemaForm.tsx";
import { TestPanel } from "./TestPanel.tsx";

const TEAM_TYPES = ["RoundRobinGroupChat", "SelectorGroupChat", "Swarm", "MagenticOneGroupChat", "GraphFlow"];

function newTeam(kind: string): Component {
  const config: Record<string, unknown> = { participants: [] };
  if (kind === "GraphFlow") config.graph = { nodes: [] };
  return {
    provider: `autogen_agentchat.teams.${kind}`,
    component_type: "team",
    version: 1,
    component_version: 1,
    label: "New Team",
    description: `A ${kind} built in the studio.`,
    config,
  };
}

interface NodeData extends Record<string, unknown> {
  component: Component;
  field: string;
  issue?: string;
  onDropItem: (pointer: string, id: string) => void;
  pointer: string;
}

function ComponentNode(props: NodeProps<Node<NodeData>>) {
  const { component, field, issue, onDropItem, pointer } = props.data;
  const name = component.config?.name;
  return (
    <fieldset
      className={`node node-${component.component_type}${issue ? " invalid" : ""}${props.selected ? " selected" : ""}`}
      data-pointer={pointer}
      aria-label={`${component.component_type} ${String(name ?? component.label ?? shortName(component.provider))}`}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const id = e.dataTransfer.getData("application/x-autogen-component");
        if (id) {
          e.stopPropagation();
          e.preventDefault();
          onDropItem(pointer, id);
        }
      }}
    >
      <Handle type="target" position={Position.Left} />
      <div className="node-type">
        {component.component_type} · {shortName(component.provider)}
      </div>
      <div className="node-name">{String(name ?? component.label ?? "")}</div>
      {field && <div className="node-field">{field}</div>}
      {issue && <div className="node-issue">{issue}</div>}
      <Handle type="source" position={Position.Right} />
    </fieldset>
  );
}

const NODE_TYPES = { component: ComponentNode };

export default function BuilderPage(props: { route: Route }) {
  const id = props.route.arg;
  const [items, setItems] = useState<GalleryItem[]>([]);
  const [doc, setDoc] = useState<Component | undefined>();
  const [savedId, setSavedId] = useState<string | undefined>(id);
  const [text, setText] = useState("");
  const [selected, setSelected] = useState("");
  const [issue, setIssue] = useState<Issue | undefined>();
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | undefined>();
  const [providers, setProviders] = useState<Map<string, Provider>>(new Map());
  const [kind, setKind] = useState("RoundRobinGroupChat");

  useEffect(() => {
    gallery.list().then(setItems, (e: Error) => setNotice({ kind: "error", text: e.message }));
    loadProviders().then(setProviders, () => {});
  }, []);
  useEffect(() => {
    setSavedId(id);
    if (id === undefined) return;
    const found = items.find((i) => i.id === id);
    if (found) {
      setDoc(found.component);
      setSelected("");
    }
  }, [id, items]);

  // The document is the truth: the JSON text follows it (unless the text already says it, or is being
  // typed: an unfinished text is left alone), and parsed text sets it.
  const typed = useRef("");
  useEffect(() => {
    if (doc === undefined) return;
    let current: string | undefined;
    try {
      current = JSON.stringify(JSON.parse(typed.current));
    } catch {
      current = undefined;
    }
    if (current !== JSON.stringify(doc)) {
      typed.current = JSON.stringify(doc, null, 2);
      setText(typed.current);
    }
  }, [doc]);

  // Checked as it changes; an answer about an older document is dropped.
  const checked = useRef(0);
  useEffect(() => {
    if (doc === undefined) return;
    const seq = ++checked.current;
    const timer = setTimeout(() => {
      gallery.validate(doc).then(
        (r) => seq === checked.current && setIssue(r.ok ? undefined : r.issue),
        (e: Error) =>
          seq === checked.current && setIssue({ message: `could not be checked: ${e.message}`, pointer: "" }),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [doc]);

  const onText = (value: string) => {
    typed.current = value;
    setText(value);
    try {
      const parsed = JSON.parse(value) as Component;
      setDoc(parsed);
    } catch (e) {
      setIssue({ message: `not valid JSON: ${(e as Error).message}`, pointer: "" });
    }
  };

  const add = (target: string, itemId: string) => {
    if (doc === undefined) return;
    const item = items.find((i) => i.id === itemId);
    if (!item) return;
    // Into the target when it takes this kind of component, else into the document's root.
    for (const pointer of [target, ""]) {
      const host = get(doc, pointer) as Component;
      if (!isComponent(host)) continue;
      const slot = slotFor(host, item.type);
      if (!slot) continue;
      let component = structuredClone(item.component);
      let next = doc;
      if (item.type === "agent" || item.type === "team") {
        const name = freeName(host, String(component.config.name ?? item.id.replace(/-/g, "_")));
        component = { ...component, config: { ...component.config, name } };
        if (shortName(host.provider) === "GraphFlow") {
          const nodes = ((host.config.graph as { nodes?: unknown[] })?.nodes ?? []) as unknown[];
          next = set(next, join(pointer, "config", "graph"), {
            ...(host.config.graph as object),
            nodes: [...nodes, { name, edges: [], activation: "all" }],
          });
        }
      }
      const at = join(pointer, "config", slot.field);
      if (slot.list) {
        const list = (get(next, at) as unknown[] | undefined) ?? [];
        next = set(next, at, [...list, component]);
      } else next = set(next, at, component);
      setDoc(next);
      setNotice({ kind: "ok", text: `Added ${item.label} to ${pointer === "" ? "the team" : pointer}.` });
      return;
    }
    setNotice({
      kind: "error",
      text: `${item.label} (a ${item.type}) cannot go there: select a node that takes one.`,
    });
  };

  const connect = (source: string, target: string) => {
    if (doc === undefined) return;
    // A new edge of a GraphFlow: from one participant to another.
    const flow = source.replace(/\/config\/participants\/\d+$/, "");
    const host = get(doc, flow) as Component;
    if (!isComponent(host) || shortName(host.provider) !== "GraphFlow") return;
    const nameOf = (p: string) => String((get(doc, p) as Component).config.name);
    const graph = (host.config.graph ?? { nodes: [] }) as { nodes: { name: string; edges?: unknown[] }[] };
    const nodes = graph.nodes.map((n) =>
      n.name === nameOf(source)
        ? { ...n, edges: [...(n.edges ?? []), { target: nameOf(target), condition: null }] }
        : n,
    );
    setDoc(set(doc, join(flow, "config", "graph"), { ...graph, nodes }));
  };

  const save = async () => {
    if (doc === undefined) return;
    try {
      const saved =
        savedId && items.some((i) => i.id === savedId)
          ? (await gallery.save(savedId, doc)).item
          : (await gallery.import({ component: doc })).items[0];
      if (!saved) return;
      setNotice({ kind: "ok", text: `Saved ${saved.label}.` });
      setSavedId(saved.id);
      setItems(await gallery.list());
      if (saved.id !== id) navigate("builder", saved.id);
    } catch (e) {
      const err = e as ApiError;
      if (err.issue) setIssue(err.issue);
      setNotice({
        kind: "error",
        text: `Not saved${err.issue ? ` (${err.issue.pointer})` : ""}: ${err.message}`,
      });
    }
  };

  const graph = useMemo(() => (doc ? graphOf(doc) : { nodes: [], edges: [] }), [doc]);
  const issueNode = useMemo(() => {
    if (!issue) return undefined;
    let best = "";
    for (const n of graph.nodes)
      if (issue.pointer.startsWith(n.id) && n.id.length >= best.length) best = n.id;
    return best;
  }, [issue, graph]);
  const rows = new Map<number, number>();
  const nodes: Node<NodeData>[] = graph.nodes.map((n) => {
    const row = rows.get(n.depth) ?? 0;
    rows.set(n.depth, row + 1);
    return {
      id: n.id || "root",
      type: "component",
      position: { x: n.depth * 260, y: row * 110 },
      selected: n.id === selected,
      data: {
        component: n.component,
        field: n.field,
        pointer: n.id,
        onDropItem: add,
        ...(issueNode === n.id && issue ? { issue: issue.message } : {}),
      },
    };
  });
  const edges: Edge[] = graph.edges.map((e) => ({
    id: e.id,
    source: e.source || "root",
    target: e.target || "root",
    label: e.label,
    animated: e.kind === "flow",
    className: `edge-${e.kind}`,
  }));

  const current = doc ? (get(doc, selected) as Component | undefined) : undefined;
  const schema = current ? providers.get(current.provider)?.schema : undefined;
  const relative =
    issue && current && issue.pointer.startsWith(join(selected, "config"))
      ? issue.pointer.slice(join(selected, "config").length + 1).split("/")[0]
      : undefined;
  const palette = items.filter((i) =>
    ["agent", "model", "tool", "workbench", "termination", "team"].includes(i.type),
  );

  return (
    <div className="builder">
      <div className="toolbar" role="toolbar" aria-label="Builder">
        <label>
          Open
          <select
            value={savedId ?? ""}
            onChange={(e) => e.target.value && navigate("builder", e.target.value)}
          >
            <option value="">Pick a component…</option>
            {items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label} ({i.type})
              </option>
            ))}
          </select>
        </label>
        <label>
          Team type
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {TEAM_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            setDoc(newTeam(kind));
            setSavedId(undefined);
            setSelected("");
            if (id) navigate("builder");
          }}
        >
          New team
        </button>
        {doc && (
          <>
            <label>
              Label
              <input
                type="text"
                value={doc.label ?? ""}
                onChange={(e) => setDoc({ ...doc, label: e.target.value })}
              />
            </label>
            <button type="button" onClick={save}>
              Save
            </button>
            {savedId && (
              <a className="button" href={gallery.exportUrl(savedId)} download={`${savedId}.json`}>
                Export
              </a>
            )}
            {savedId && (
              <button type="button" onClick={() => navigate("playground", undefined, { team: savedId })}>
                Open in playground
              </button>
            )}
          </>
        )}
      </div>
      {notice && (
        <p role={notice.kind === "error" ? "alert" : "status"} className={notice.kind}>
          {notice.text}
        </p>
      )}
      {issue && (
        <p role="alert" className="error issue" data-pointer={issue.pointer}>
          {issue.pointer || "/"}: {issue.message}
        </p>
      )}
      {doc === undefined ? (
        <p>Open a component of the gallery, or make a new team.</p>
      ) : (
        <div className="builder-grid">
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the keyboard */}
          <aside className="palette" aria-label="Components" tabIndex={0}>
            <h2>Add from the gallery</h2>
            <p className="hint">Drag onto a node, or select a node and press Add.</p>
            {palette.map((i) => (
              <fieldset
                key={i.id}
                aria-label={i.label}
                className={`palette-item type-${i.type}`}
                draggable
                onDragStart={(e) => e.dataTransfer.setData("application/x-autogen-component", i.id)}
              >
                <span>
                  {i.label} <small>{i.type}</small>
                </span>
                <button type="button" onClick={() => add(selected, i.id)} aria-label={`Add ${i.label}`}>
                  Add
                </button>
              </fieldset>
            ))}
          </aside>
          <section className="canvas" aria-label="Graph">
            <ReactFlowProvider>
              <ReactFlow
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_TYPES}
                onNodeClick={(_, n) => setSelected(n.id === "root" ? "" : n.id)}
                onPaneClick={() => setSelected("")}
                onConnect={(c) =>
                  connect(c.source === "root" ? "" : c.source, c.target === "root" ? "" : c.target)
                }
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  const dropped = e.dataTransfer.getData("application/x-autogen-component");
                  if (dropped) add("", dropped);
                }}
                fitView
                fitViewOptions={{ maxZoom: 1 }}
                // Components are removed in the JSON or the form; the Delete key belongs to the editors.
                deleteKeyCode={null}
                nodesDraggable={false}
              >
                <Background />
                <Controls />
              </ReactFlow>
            </ReactFlowProvider>
            <label className="node-picker">
              Selected node
              <select value={selected} onChange={(e) => setSelected(e.target.value)}>
                {graph.nodes.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.id || "/"} {String(n.component.config?.name ?? n.component.label ?? "")}
                  </option>
                ))}
              </select>
            </label>
          </section>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the keyboard */}
          <section className="inspector" aria-label="Selected component" tabIndex={0}>
            {current && (
              <>
                <h2>
                  {String(current.label ?? shortName(current.provider))}{" "}
                  <small>{current.component_type}</small>
                </h2>
                {schema ? (
                  <SchemaForm
                    schema={schema}
                    value={current.config}
                    issues={relative ? { [relative]: issue?.message ?? "" } : {}}
                    skip={(key, value) => {
                      const field = schema.properties?.[key] ?? {};
                      const text = JSON.stringify(field);
                      return (
                        isComponent(value) ||
                        (Array.isArray(value) && value.some(isComponent)) ||
                        text.includes("x-component-type")
                      );
                    }}
                    onChange={(key, value) => setDoc(set(doc, join(selected, "config", key), value))}
                  />
                ) : (
                  <p>No schema for {current.provider}: edit it in the JSON.</p>
                )}
                <TestPanel component={current} />
              </>
            )}
          </section>
          <section className="json" aria-label="JSON">
            <h2>JSON</h2>
            <JsonEditor label="Component JSON" value={text} onChange={onText} issue={issue} />
          </section>
        </div>
      )}
    </div>
  );
}
