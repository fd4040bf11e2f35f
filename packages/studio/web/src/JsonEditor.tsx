/**
 * A CodeMirror 6 JSON editor. `issue` (a JSON pointer and a message) is shown as a diagnostic on the
 * field it names, found in the text's syntax tree; outside edits replace the text only when it says
 * something else, so typing is never interrupted.
 */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { syntaxTree } from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";
import type { Issue } from "./api.ts";
import { parts } from "./doc.ts";

/** The text range of the value at `pointer` (its key when it has one), or the whole text. */
export function rangeOf(state: EditorState, pointer: string): { from: number; to: number } {
  let node = syntaxTree(state).topNode.firstChild;
  let range = { from: 0, to: Math.min(state.doc.length, 1) };
  for (const key of parts(pointer)) {
    if (node === null) break;
    if (node.name === "Object") {
      let found = null;
      for (let p = node.firstChild; p; p = p.nextSibling) {
        if (p.name !== "Property") continue;
        const name = p.firstChild;
        if (name && JSON.parse(state.sliceDoc(name.from, name.to)) === key) {
          found = p;
          break;
        }
      }
      if (found === null) break;
      range = { from: found.from, to: found.firstChild?.to ?? found.to };
      node = found.lastChild;
    } else if (node.name === "Array") {
      let i = 0;
      let found = null;
      for (let v = node.firstChild; v; v = v.nextSibling) {
        if (v.name === "[" || v.name === "]" || v.name === ",") continue;
        if (i++ === Number(key)) {
          found = v;
          break;
        }
      }
      if (found === null) break;
      range = { from: found.from, to: Math.min(found.to, found.from + 1) };
      node = found;
    } else break;
  }
  return range;
}

export default function JsonEditor(props: {
  value: string;
  onChange: (text: string) => void;
  issue?: Issue | undefined;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  // The editor is made once; value and issue are applied by the effects below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: made once
  useEffect(() => {
    const editor = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          json(),
          lintGutter(),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-label": props.label, tabindex: "0" }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChange.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor === null || editor.state.doc.toString() === props.value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: props.value } });
  }, [props.value]);

  // Marked again after the text changes: the field may have moved.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the text moves the marked range
  useEffect(() => {
    const editor = view.current;
    if (editor === null) return;
    const diagnostics: Diagnostic[] = [];
    if (props.issue) {
      const { from, to } = rangeOf(editor.state, props.issue.pointer);
      diagnostics.push({
        from,
        to,
        severity: "error",
        message: `${props.issue.pointer || "/"}: ${props.issue.message}`,
      });
    }
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [props.issue, props.value]);

  return <div className="json-editor nokey" ref={host} data-issue={props.issue?.pointer ?? ""} />;
}
