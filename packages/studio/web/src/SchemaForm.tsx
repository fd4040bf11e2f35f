/**
 * A form generated from a JSON Schema's top-level properties: text, numbers, booleans and enums as their
 * own inputs, anything else as JSON. Used for component configs, tool arguments and input requests.
 */
import { useId } from "react";
import type { JsonSchema } from "./api.ts";

function typeOf(schema: JsonSchema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
  if (t) return t;
  const first = schema.anyOf?.find((s) => s.type !== "null");
  return first ? typeOf(first) : "json";
}

export function SchemaForm(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (key: string, value: unknown) => void;
  /** Fields not to show (nested components are edited as nodes). */
  skip?: (key: string, value: unknown) => boolean;
  /** Fields to mark, with the message. */
  issues?: Record<string, string>;
}) {
  const base = useId();
  const entries = Object.entries(props.schema.properties ?? {});
  return (
    <div className="schema-form">
      {entries.map(([key, field]) => {
        const value = props.value[key];
        if (props.skip?.(key, value)) return null;
        const id = `${base}-${key}`;
        const type = field.enum ? "enum" : typeOf(field);
        const issue = props.issues?.[key];
        const common = {
          id,
          "aria-invalid": issue ? true : undefined,
          "aria-describedby": issue ? `${id}-issue` : undefined,
        };
        let input: React.ReactNode;
        if (type === "enum") {
          input = (
            <select
              {...common}
              value={String(value ?? "")}
              onChange={(e) => props.onChange(key, e.target.value || undefined)}
            >
              <option value="">(unset)</option>
              {(field.enum ?? []).map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </select>
          );
        } else if (type === "boolean") {
          input = (
            <input
              {...common}
              type="checkbox"
              checked={value === true}
              onChange={(e) => props.onChange(key, e.target.checked)}
            />
          );
        } else if (type === "number" || type === "integer") {
          input = (
            <input
              {...common}
              type="number"
              value={value === undefined || value === null ? "" : String(value)}
              onChange={(e) =>
                props.onChange(key, e.target.value === "" ? undefined : Number(e.target.value))
              }
            />
          );
        } else if (type === "string") {
          const long = typeof value === "string" && (value.length > 60 || value.includes("\n"));
          input = long ? (
            <textarea
              {...common}
              rows={5}
              value={String(value ?? "")}
              onChange={(e) => props.onChange(key, e.target.value)}
            />
          ) : (
            <input
              {...common}
              type="text"
              value={typeof value === "string" ? value : ""}
              onChange={(e) => props.onChange(key, e.target.value === "" ? undefined : e.target.value)}
            />
          );
        } else {
          input = (
            <textarea
              {...common}
              rows={3}
              defaultValue={value === undefined ? "" : JSON.stringify(value, null, 2)}
              onBlur={(e) => {
                const text = e.target.value.trim();
                try {
                  props.onChange(key, text === "" ? undefined : JSON.parse(text));
                } catch {
                  e.target.setCustomValidity("not valid JSON");
                  e.target.reportValidity();
                }
              }}
            />
          );
        }
        return (
          <div key={key} className={`field${issue ? " invalid" : ""}`} data-field={key}>
            <label htmlFor={id}>
              {key}
              {props.schema.required?.includes(key) ? " *" : ""}
            </label>
            {input}
            {field.description && <small>{field.description}</small>}
            {issue && (
              <small id={`${id}-issue`} className="error">
                {issue}
              </small>
            )}
          </div>
        );
      })}
    </div>
  );
}
