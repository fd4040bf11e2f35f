/**
 * The playground: sessions (threads) listed and reopened; a run streams live (messages, tool calls and
 * results as cards, tokens as they come, usage per message, the stop reason) with the team's agents and
 * the current speaker lit; a person's input appears as a form (from the request's schema) and can be
 * answered after a restart; Cancel stops the run; a reload reattaches (the run's events replay from the
 * record, then continue live).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { call, type GalleryItem, gallery, type JsonSchema } from "../api.ts";
import { navigate, type Route } from "../router.ts";
import { SchemaForm } from "../SchemaForm.tsx";
import { type RunEvent, readRun } from "../stream.ts";

interface Thread {
  threadId: string;
  status: string;
  metadata: Record<string, unknown>;
  createdAt: string;
}
interface Run {
  runId: string;
  threadId: string;
  team: string;
  status: string;
  stopReason?: string;
  error?: { code: string; message: string };
  lastSeq: number;
  pendingInput: { requestId: string; prompt: string; schema?: JsonSchema }[];
}
interface Stop {
  status: string;
  stopReason?: string;
  requestId?: string;
  prompt?: string;
  error?: { code: string; message: string };
}

const TEAM_KEY = (threadId: string) => `studio.thread.${threadId}.team`;
const ENDED = new Set(["completed", "failed", "cancelled"]);

function text(content: unknown): string {
  if (typeof content === "string") return content;
  return JSON.stringify(content, null, 2);
}

function participantsOf(item: GalleryItem | undefined): string[] {
  if (!item) return [];
  if (item.type === "agent") return [String(item.component.config.name ?? item.label)];
  const list = item.component.config.participants;
  return Array.isArray(list)
    ? list.map((p) => String((p as { config?: { name?: unknown } }).config?.name ?? "?"))
    : [];
}

export function PlaygroundPage(props: { route: Route }) {
  const threadId = props.route.arg;
  const [teams, setTeams] = useState<GalleryItem[]>([]);
  const [team, setTeam] = useState<string>(props.route.query.get("team") ?? "");
  const [threads, setThreads] = useState<Thread[]>([]);
  const [events, setEvents] = useState<(RunEvent & { runId: string })[]>([]);
  const [typing, setTyping] = useState<Record<string, string>>({});
  const [stop, setStop] = useState<Stop | undefined>();
  const [run, setRun] = useState<Run | undefined>();
  const [task, setTask] = useState("");
  const [notice, setNotice] = useState<string | undefined>();
  const [connection, setConnection] = useState<"live" | "lost" | "idle">("idle");
  const follow = useRef<AbortController | null>(null);
  const seen = useRef(new Map<string, number>());

  const refreshThreads = useCallback(() => {
    call<{ items: Thread[] }>("GET", "/threads?limit=50")
      .then((r) => setThreads(r.items))
      .catch((e: Error) => setNotice(e.message));
  }, []);

  useEffect(() => {
    gallery
      .list()
      .then((items) => setTeams(items.filter((i) => i.type === "team" || i.type === "agent")))
      .catch((e: Error) => setNotice(e.message));
    refreshThreads();
  }, [refreshThreads]);

  /** Reads a run from what this page has of it, reconnecting after a dropped connection. */
  const followRun = useCallback(async (runId: string, signal: AbortSignal) => {
    for (;;) {
      let ended = false;
      try {
        setConnection("live");
        await readRun(
          runId,
          seen.current.get(runId) ?? 0,
          (event) => {
            if (event.type === "status") {
              const s = event.data as unknown as Stop;
              setStop(s);
              if (ENDED.has(s.status) || s.status === "interrupted") ended = true;
              return;
            }
            if (event.type === "ModelClientStreamingChunkEvent") {
              const source = String(event.data.source ?? "");
              setTyping((t) => ({ ...t, [source]: (t[source] ?? "") + String(event.data.content ?? "") }));
              return;
            }
            if ((seen.current.get(runId) ?? 0) >= event.seq) return;
            seen.current.set(runId, event.seq);
            const source = String(event.data.source ?? "");
            setTyping((t) => {
              const { [source]: _, ...rest } = t;
              return rest;
            });
            setStop(undefined);
            setEvents((list) => [...list, { ...event, runId }]);
          },
          signal,
        );
        if (ended || signal.aborted) break;
        // The stream closed without a stop: the run ended on the server; ask how.
        const current = await call<Run>("GET", `/runs/${runId}`);
        if (current.status !== "running" && current.status !== "pending") break;
      } catch (error) {
        if (signal.aborted) return;
        setConnection("lost");
        setNotice(`Connection to the run lost (${(error as Error).message}); reconnecting…`);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      break;
    }
    setConnection("idle");
    setNotice(undefined);
    try {
      setRun(await call<Run>("GET", `/runs/${runId}`));
    } catch {
      // Shown by the next action.
    }
  }, []);

  /** Opens a session: replays every run of the thread, then follows the last one live. */
  useEffect(() => {
    follow.current?.abort();
    setEvents([]);
    setStop(undefined);
    setRun(undefined);
    setTyping({});
    seen.current = new Map();
    if (threadId === undefined) return;
    const controller = new AbortController();
    follow.current = controller;
    const wanted = props.route.query.get("run");
    (async () => {
      const history = await call<{ items: { runId?: string }[] }>(
        "GET",
        `/threads/${threadId}/history?state=false&limit=100`,
      );
      const runIds = [
        ...new Set(
          history.items
            .map((c) => c.runId)
            .filter((r): r is string => !!r)
            .reverse(),
        ),
      ];
      if (wanted && !runIds.includes(wanted)) runIds.push(wanted);
      const stored = localStorage.getItem(TEAM_KEY(threadId));
      for (const runId of runIds) {
        if (controller.signal.aborted) return;
        const r = await call<Run>("GET", `/runs/${runId}`);
        setRun(r);
        if (!stored && r.team) setTeam(r.team);
        await followRun(runId, controller.signal);
      }
      if (stored) setTeam(stored);
    })().catch((e: Error) => !controller.signal.aborted && setNotice(e.message));
    return () => controller.abort();
  }, [threadId, followRun, props.route.query]);

  const newSession = async () => {
    const thread = await call<Thread>("POST", "/threads", { metadata: team ? { team } : {} });
    if (team) localStorage.setItem(TEAM_KEY(thread.threadId), team);
    refreshThreads();
    navigate("playground", thread.threadId, team ? { team } : {});
  };

  const start = async () => {
    setNotice(undefined);
    if (!team) return setNotice("Pick a team first.");
    if (!task.trim()) return setNotice("Write a task first.");
    let id = threadId;
    if (id === undefined) {
      const thread = await call<Thread>("POST", "/threads", { metadata: { team } });
      id = thread.threadId;
    }
    localStorage.setItem(TEAM_KEY(id), team);
    try {
      const r = await call<Run>("POST", `/threads/${id}/runs`, {
        team,
        task,
        mode: "background",
        ifBusy: "reject",
      });
      setTask("");
      setRun(r);
      refreshThreads();
      if (id !== threadId) {
        navigate("playground", id, { team, run: r.runId });
        return;
      }
      const controller = new AbortController();
      follow.current = controller;
      void followRun(r.runId, controller.signal);
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  const cancel = async () => {
    if (!run) return;
    try {
      await call("POST", `/runs/${run.runId}/cancel`);
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  const answer = async (value: unknown) => {
    if (!run || !stop?.requestId) return;
    try {
      await call("POST", `/runs/${run.runId}/input`, { requestId: stop.requestId, value });
      setStop(undefined);
      const controller = new AbortController();
      follow.current = controller;
      void followRun(run.runId, controller.signal);
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  const item = teams.find((t) => t.id === team);
  const participants = participantsOf(item);
  const speaker = [...events].reverse().find((e) => participants.includes(String(e.data.source)))
    ?.data.source;
  const running = connection === "live" && !stop;
  const pending = stop?.requestId ? run?.pendingInput.find((p) => p.requestId === stop.requestId) : undefined;

  return (
    <div className="playground">
      <aside className="sessions" aria-label="Sessions">
        <label>
          Team
          <select value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">Pick a team…</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={newSession}>
          New session
        </button>
        <h2>Sessions</h2>
        <ul>
          {threads.map((t) => (
            <li key={t.threadId}>
              <a
                href={`#/playground/${t.threadId}`}
                aria-current={t.threadId === threadId ? "page" : undefined}
              >
                {String(
                  teams.find((x) => x.id === (localStorage.getItem(TEAM_KEY(t.threadId)) ?? t.metadata.team))
                    ?.label ?? "session",
                )}{" "}
                <small>
                  {new Date(t.createdAt).toLocaleString()} · {t.status}
                </small>
              </a>
            </li>
          ))}
        </ul>
      </aside>
      <section className="run" aria-label="Run">
        <h1>Playground</h1>
        {participants.length > 0 && (
          <ol className="flow" aria-label="Agent flow">
            {participants.map((p) => (
              <li
                key={p}
                className={p === speaker && running ? "speaking" : ""}
                aria-current={p === speaker ? "step" : undefined}
              >
                {p}
              </li>
            ))}
          </ol>
        )}
        <div className="messages" role="log" aria-label="Messages">
          {events.map((e) => (
            <MessageCard key={`${e.runId}-${e.seq}`} event={e} />
          ))}
          {Object.entries(typing).map(([source, t]) => (
            <article
              key={`typing-${source}`}
              className="card message typing"
              aria-label={`${source} is typing`}
            >
              <header>{source}</header>
              <p>{t}</p>
            </article>
          ))}
        </div>
        {stop && !stop.requestId && (
          <p className={`stop ${stop.status}`} role="status" data-status={stop.status}>
            Run {stop.status}
            {stop.stopReason ? `: ${stop.stopReason}` : ""}
            {stop.error ? `: ${stop.error.message}` : ""}
          </p>
        )}
        {stop?.requestId && (
          <InputForm prompt={stop.prompt ?? "Your input"} schema={pending?.schema} onSend={answer} />
        )}
        {notice && (
          <p role="alert" className="error">
            {notice}
          </p>
        )}
        <div className="composer">
          <label>
            Task
            <textarea rows={3} value={task} onChange={(e) => setTask(e.target.value)} />
          </label>
          <div className="actions">
            <button type="button" onClick={start} disabled={running}>
              Run
            </button>
            <button type="button" onClick={cancel} disabled={!running}>
              Cancel
            </button>
            {run && (
              <a href={`#/inspect/${run.runId}?team=${encodeURIComponent(team)}`} className="button">
                Inspect run
              </a>
            )}
          </div>
        </div>
      </section>
    </div>
  );
}

function MessageCard(props: { event: RunEvent }) {
  const { type, data } = props.event;
  // Our messages write `modelsUsage` (camelCase); AutoGen's write `models_usage`.
  const raw = (data.modelsUsage ?? data.models_usage) as Record<string, number> | null | undefined;
  const usage = raw
    ? {
        in: raw.promptTokens ?? raw.prompt_tokens ?? 0,
        out: raw.completionTokens ?? raw.completion_tokens ?? 0,
      }
    : undefined;
  const content = data.content;
  let body: React.ReactNode;
  if (type === "ToolCallRequestEvent" && Array.isArray(content)) {
    body = (content as { id?: string; name: string; arguments: string }[]).map((c) => (
      <p key={`${c.id}-${c.name}`}>
        calls <code>{c.name}</code>(<code>{c.arguments}</code>)
      </p>
    ));
  } else if (type === "ToolCallExecutionEvent" && Array.isArray(content)) {
    body = (content as { call_id?: string; name?: string; content: string; is_error?: boolean }[]).map(
      (c) => (
        <p key={`${c.call_id}-${c.name}`} className={c.is_error ? "error" : ""}>
          {c.name ?? "tool"} returned <code>{c.content}</code>
        </p>
      ),
    );
  } else if (type === "HandoffMessage") {
    body = (
      <p>
        hands off to <strong>{String(data.target)}</strong>: {text(content)}
      </p>
    );
  } else {
    body = <p className="text">{text(content)}</p>;
  }
  return (
    <article
      className={`card message ${type}`}
      data-type={type}
      aria-label={`${String(data.source)}: ${type}`}
    >
      <header>
        <strong>{String(data.source)}</strong> <span className="badge">{type}</span>
        {usage && (usage.in || usage.out) ? (
          <small className="usage">
            {" "}
            {usage.in} in / {usage.out} out tokens
          </small>
        ) : null}
      </header>
      {body}
    </article>
  );
}

function InputForm(props: {
  prompt: string;
  schema: JsonSchema | undefined;
  onSend: (value: unknown) => void;
}) {
  const [text, setText] = useState("");
  const [value, setValue] = useState<Record<string, unknown>>({});
  const structured = props.schema?.properties !== undefined;
  return (
    <form
      className="input-request"
      aria-label="Input requested"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSend(structured ? value : text);
      }}
    >
      <p>{props.prompt}</p>
      {structured ? (
        <SchemaForm
          schema={props.schema as JsonSchema}
          value={value}
          onChange={(k, v) => setValue((o) => ({ ...o, [k]: v }))}
        />
      ) : (
        <label>
          Your answer
          <input type="text" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <button type="submit">Send</button>
    </form>
  );
}
