/**
 * Checking a component document as `autogen-ts validate` does (every nested component loaded, nothing
 * run, no credentials needed), with the problem located by a JSON pointer the page can mark.
 */
import type { ComponentModel, LoadComponentOptions } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { loadComponent } from "@autogen-ts/ext/components";
import { pathToPointer } from "./pointer.js";

/** A problem with a document: what is wrong, and where (`""` is the whole document). */
export interface ComponentIssue {
  readonly message: string;
  /** JSON pointer of the field (`/config/participants/0/config/model_client/provider`). */
  readonly pointer: string;
}

/** The component types the studio lists (AutoGen's, as `component_type` has them). */
export const COMPONENT_TYPES = [
  "team",
  "agent",
  "model",
  "tool",
  "workbench",
  "termination",
  "chat_completion_context",
] as const;

/** Loads `doc` in validate-only mode; resolves to the first issue, or undefined when it loads. */
export async function checkComponent(
  doc: unknown,
  options: LoadComponentOptions,
): Promise<ComponentIssue | undefined> {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return { message: "a component is a JSON object with provider and config", pointer: "" };
  }
  const type = (doc as ComponentModel).component_type;
  if (typeof type !== "string" || !(COMPONENT_TYPES as readonly string[]).includes(type)) {
    return {
      message: `component_type is required: one of ${COMPONENT_TYPES.join(", ")}`,
      pointer: "/component_type",
    };
  }
  try {
    const value = await loadComponent(doc, { ...options, validateOnly: true });
    await (value as { close?: () => Promise<void> }).close?.();
    return undefined;
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    const path = typeof error.details?.path === "string" ? error.details.path : "";
    const prefix = path === "" ? "" : `${path}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return { message, pointer: pathToPointer(path) };
  }
}

/** Parses pasted text; a syntax error is an issue at the root with the position in its message. */
export function parseComponentText(text: string): { doc: unknown } | { issue: ComponentIssue } {
  try {
    return { doc: JSON.parse(text) };
  } catch (error) {
    return { issue: { message: `not valid JSON: ${(error as Error).message}`, pointer: "" } };
  }
}
