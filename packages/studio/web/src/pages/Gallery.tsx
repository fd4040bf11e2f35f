/**
 * The gallery: every component by its label, type and description, grouped by type; import from pasted
 * JSON, a URL or a file (checked by the server: the issue is shown with its JSON pointer, and marked on
 * that field in the editor); export any component as the JSON `autogen-ts run` and AutoGen load.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { type ApiError, type GalleryItem, gallery, type Issue } from "../api.ts";
import { navigate } from "../router.ts";

const JsonEditor = lazy(() => import("../JsonEditor.tsx"));

const GROUPS = ["team", "agent", "model", "tool", "workbench", "termination"];

export function GalleryPage() {
  const [items, setItems] = useState<GalleryItem[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(() => {
    gallery
      .list()
      .then(setItems)
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(refresh, [refresh]);
  const types = [...GROUPS, ...new Set((items ?? []).map((i) => i.type).filter((t) => !GROUPS.includes(t)))];
  return (
    <div className="page">
      <h1>Gallery</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ImportPanel onImported={refresh} />
      {items === undefined ? (
        <p>Loading…</p>
      ) : (
        types.map((type) => {
          const group = items.filter((i) => i.type === type);
          if (group.length === 0) return null;
          return (
            <section key={type} aria-labelledby={`group-${type}`}>
              <h2 id={`group-${type}`}>{type}s</h2>
              <ul className="cards">
                {group.map((item) => (
                  <li key={item.id} className="card" aria-label={item.label} data-testid="gallery-item">
                    <h3>{item.label}</h3>
                    <p className="meta">
                      <span className="badge">{item.type}</span> <code>{item.provider}</code>
                    </p>
                    <p>{item.description}</p>
                    <div className="actions">
                      <a className="button" href={gallery.exportUrl(item.id)} download={`${item.id}.json`}>
                        Export
                      </a>
                      <button type="button" onClick={() => navigate("builder", item.id)}>
                        Edit {item.label}
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
    </div>
  );
}

function ImportPanel(props: { onImported: () => void }) {
  const [text, setText] = useState("");
  const [url, setUrl] = useState("");
  const [file, setFile] = useState<File | undefined>();
  const [issue, setIssue] = useState<Issue | undefined>();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setIssue(undefined);
    setMessage(undefined);
    try {
      const source = file ? { text: await file.text() } : url.trim() ? { url: url.trim() } : { text };
      if (file) setText(source.text as string);
      const result = await gallery.import(source);
      const dropped = result.droppedSecrets.length
        ? ` Literal secrets were dropped at ${result.droppedSecrets.join(", ")}: use {"$env": "NAME"}.`
        : "";
      setMessage({ kind: "ok", text: `Imported ${result.items.map((i) => i.label).join(", ")}.${dropped}` });
      props.onImported();
    } catch (e) {
      const err = e as ApiError;
      if (err.issue) setIssue(err.issue);
      const where = err.issue
        ? ` at ${err.issue.pointer || "/"}${err.issue.index !== undefined ? ` (component ${err.issue.index + 1})` : ""}`
        : "";
      setMessage({ kind: "error", text: `Import failed${where}: ${err.message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="import" aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <div className="import-grid">
        <div>
          <p id="paste-label">Paste a component or a gallery document</p>
          <Suspense fallback={<textarea aria-label="Component JSON" readOnly value={text} />}>
            <JsonEditor label="Component JSON" value={text} onChange={setText} issue={issue} />
          </Suspense>
        </div>
        <div className="stack">
          <label>
            From a URL
            <input
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://…/team.json"
            />
          </label>
          <label>
            From a file
            <input
              type="file"
              accept=".json,application/json"
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </label>
          <button type="button" onClick={submit} disabled={busy}>
            Import
          </button>
        </div>
      </div>
      {message && (
        <p
          role={message.kind === "error" ? "alert" : "status"}
          className={message.kind}
          data-pointer={issue?.pointer}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
