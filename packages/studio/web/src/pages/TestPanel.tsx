/**
 * "Test" for the selected component: a model client answers a prompt, a tool runs with arguments from a
 * form made from its schema, a termination is checked on a sample transcript, a workbench lists its
 * tools, an agent or a team runs a task. The server runs it with a time limit; the result and the log
 * are shown, a failure with its message.
 */
import { useEffect, useState } from "react";
import { type Component, call, type JsonSchema } from "../api.ts";
import { SchemaForm } from "../SchemaForm.tsx";

interface Outcome {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  log: string[];
}

export function TestPanel(props: { component: Component }) {
  const type = props.component.component_type;
  const [task, setTask] = useState("");
  const [transcript, setTranscript] = useState("user: What is 2 + 2?\nassistant: 4. TERMINATE");
  const [args, setArgs] = useState<Record<string, unknown>>({});
  const [argSchema, setArgSchema] = useState<JsonSchema | undefined>();
  const [timeout, setTimeoutSeconds] = useState(60);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setOutcome(undefined);
    setArgSchema(undefined);
    setArgs({});
    if (type !== "tool") return;
    call<{ schema?: JsonSchema }>("POST", "/studio/api/describe", { component: props.component }).then(
      (r) => setArgSchema(r.schema),
      () => {},
    );
  }, [props.component, type]);

  const run = async () => {
    setBusy(true);
    setOutcome(undefined);
    const input: Record<string, unknown> = { timeoutMs: timeout * 1000 };
    if (task.trim()) input.task = task;
    if (type === "tool") input.arguments = args;
    if (type === "termination") {
      input.transcript = transcript
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => {
          const at = l.indexOf(":");
          return at === -1
            ? { source: "user", content: l }
            : { source: l.slice(0, at).trim(), content: l.slice(at + 1).trim() };
        });
    }
    try {
      setOutcome(await call<Outcome>("POST", "/studio/api/test", { component: props.component, input }));
    } catch (e) {
      setOutcome({ ok: false, error: { code: "error", message: (e as Error).message }, log: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="test-panel" aria-label="Test">
      <h3>Test this {type}</h3>
      {(type === "model" || type === "agent" || type === "team") && (
        <label>
          {type === "model" ? "Prompt" : "Test task"}
          <textarea rows={2} value={task} onChange={(e) => setTask(e.target.value)} />
        </label>
      )}
      {type === "tool" && argSchema && (
        <SchemaForm schema={argSchema} value={args} onChange={(k, v) => setArgs((a) => ({ ...a, [k]: v }))} />
      )}
      {type === "termination" && (
        <label>
          Sample transcript (source: text, one a line)
          <textarea rows={3} value={transcript} onChange={(e) => setTranscript(e.target.value)} />
        </label>
      )}
      <label>
        Time limit (seconds)
        <input
          type="number"
          min={1}
          max={600}
          value={timeout}
          onChange={(e) => setTimeoutSeconds(Number(e.target.value) || 60)}
        />
      </label>
      <button type="button" onClick={run} disabled={busy}>
        Test
      </button>
      {busy && <p role="status">Testing…</p>}
      {outcome && (
        <div
          className={`test-outcome ${outcome.ok ? "ok" : "error"}`}
          role={outcome.ok ? "status" : "alert"}
          data-ok={String(outcome.ok)}
        >
          <p>{outcome.ok ? "Passed" : `Failed: ${outcome.error?.message ?? ""}`}</p>
          {outcome.result !== undefined && (
            <pre className="result">{JSON.stringify(outcome.result, null, 2)}</pre>
          )}
          <h4>Log</h4>
          <pre className="log">{outcome.log.join("\n")}</pre>
        </div>
      )}
    </section>
  );
}
