/**
 * Inspecting a run: its checkpoints in order with the state at each, the diff between two, "Fork from
 * here" (a new session that continues from that checkpoint), and the run's recorded events as a
 * waterfall on the time each was recorded.
 */
import { useEffect, useState } from "react";
import { call } from "../api.ts";
import { navigate, type Route } from "../router.ts";

interface Checkpoint {
  checkpointId: string;
  seq: number;
  createdAt: string;
  metadata: Record<string, unknown>;
  state: unknown;
}
interface Change {
  op: string;
  pointer: string;
  before?: unknown;
  after?: unknown;
}
interface Tick {
  seq: number;
  type: string;
  source: string;
  createdAt: string;
}

const short = (v: unknown) => {
  const t = JSON.stringify(v);
  return t === undefined ? "" : t.length > 120 ? `${t.slice(0, 117)}…` : t;
};

export default function InspectPage(props: { route: Route }) {
  const runId = props.route.arg;
  const team = props.route.query.get("team") ?? "";
  const [checkpoints, setCheckpoints] = useState<Checkpoint[]>([]);
  const [timeline, setTimeline] = useState<Tick[]>([]);
  const [open, setOpen] = useState<string | undefined>();
  const [pair, setPair] = useState<string[]>([]);
  const [changes, setChanges] = useState<Change[] | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    if (!runId) return;
    call<{ items: Checkpoint[] }>("GET", `/studio/api/runs/${runId}/checkpoints`).then(
      (r) => setCheckpoints(r.items),
      (e: Error) => setNotice(e.message),
    );
    call<{ items: Tick[] }>("GET", `/studio/api/runs/${runId}/timeline`).then(
      (r) => setTimeline(r.items),
      () => {},
    );
  }, [runId]);

  useEffect(() => {
    setChanges(undefined);
    if (pair.length !== 2) return;
    call<{ changes: Change[] }>("GET", `/studio/api/checkpoints/diff?from=${pair[0]}&to=${pair[1]}`).then(
      (r) => setChanges(r.changes),
      (e: Error) => setNotice(e.message),
    );
  }, [pair]);

  const fork = async (id: string) => {
    try {
      const r = await call<{ threadId: string; team: string }>("POST", `/studio/api/checkpoints/${id}/fork`, {
        team,
      });
      localStorage.setItem(`studio.thread.${r.threadId}.team`, r.team);
      navigate("playground", r.threadId, { team: r.team });
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  if (!runId) return <p>Open a run from the playground ("Inspect run").</p>;
  const times = timeline.map((t) => Date.parse(t.createdAt)).filter(Number.isFinite);
  const t0 = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - t0);
  return (
    <div className="page inspect">
      <h1>Inspect run {runId.slice(0, 8)}</h1>
      {notice && (
        <p role="alert" className="error">
          {notice}
        </p>
      )}
      <section aria-labelledby="cp-title">
        <h2 id="cp-title">Checkpoints</h2>
        <p className="hint">Tick two to see what changed between them.</p>
        <ol className="checkpoints">
          {checkpoints.map((cp) => (
            <li key={cp.checkpointId}>
              <label>
                <input
                  type="checkbox"
                  checked={pair.includes(cp.checkpointId)}
                  onChange={(e) =>
                    setPair((p) =>
                      e.target.checked
                        ? [...p, cp.checkpointId].slice(-2)
                        : p.filter((x) => x !== cp.checkpointId),
                    )
                  }
                />
                after event {cp.seq} · {String(cp.metadata.phase ?? cp.metadata.source ?? "")} ·{" "}
                {new Date(cp.createdAt).toLocaleTimeString()}
              </label>{" "}
              <button
                type="button"
                onClick={() => setOpen(open === cp.checkpointId ? undefined : cp.checkpointId)}
              >
                {open === cp.checkpointId ? "Hide state" : "Show state"}
              </button>{" "}
              <button type="button" onClick={() => fork(cp.checkpointId)} disabled={!team}>
                Fork from here
              </button>
              {open === cp.checkpointId && <pre className="state">{JSON.stringify(cp.state, null, 2)}</pre>}
            </li>
          ))}
        </ol>
      </section>
      {changes && (
        <section aria-labelledby="diff-title">
          <h2 id="diff-title">Diff</h2>
          {changes.length === 0 ? (
            <p>No change.</p>
          ) : (
            <table className="diff">
              <thead>
                <tr>
                  <th>change</th>
                  <th>where</th>
                  <th>before</th>
                  <th>after</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={`${c.op}${c.pointer}`} className={c.op}>
                    <td>{c.op}</td>
                    <td>
                      <code>{c.pointer}</code>
                    </td>
                    <td>{short(c.before)}</td>
                    <td>{short(c.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section aria-labelledby="wf-title">
        <h2 id="wf-title">Timeline</h2>
        <ul className="waterfall">
          {timeline.map((t, i) => {
            const start = Date.parse(t.createdAt) - t0;
            const next = timeline[i + 1];
            const end = next ? Date.parse(next.createdAt) - t0 : start;
            return (
              <li key={t.seq}>
                <span className="wf-label">
                  {t.seq}. {t.source} {t.type}
                </span>
                <span className="wf-track">
                  <span
                    className="wf-bar"
                    style={{
                      left: `${(start / span) * 100}%`,
                      width: `${Math.max(0.5, ((end - start) / span) * 100)}%`,
                    }}
                  />
                </span>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
