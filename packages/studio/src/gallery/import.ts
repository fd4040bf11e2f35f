/**
 * Importing into the gallery: a component or a whole gallery document, pasted, read from a file by the
 * page, or fetched from a URL through the fetch tool's guard (no private or loopback addresses unless the
 * studio was started with `--allow-private-addresses`). Each component is checked before anything is
 * kept: one bad component keeps the whole import out, and the issue says which one and where.
 */
import type { ComponentModel, LoadComponentOptions } from "@autogen-ts/core";
import { fetchUrl } from "@autogen-ts/ext/tools/fetch";
import { stripSecrets } from "./secrets.js";
import { type GalleryItem, type GalleryStore, galleryComponents } from "./store.js";
import { type ComponentIssue, checkComponent, parseComponentText } from "./validate.js";

/** What an import is given. */
export type ImportSource =
  | { readonly component: unknown }
  | { readonly text: string }
  | { readonly url: string };

/** What an import did: the items added, and the literal secrets it dropped (pointers). */
export type ImportOutcome =
  | { readonly ok: true; readonly items: GalleryItem[]; readonly droppedSecrets: string[] }
  | { readonly ok: false; readonly issue: ComponentIssue & { readonly index?: number } };

/** Reads the document an import names; an unreadable one is an issue at the root. */
async function readSource(
  source: ImportSource,
  options: LoadComponentOptions,
): Promise<{ doc: unknown } | { issue: ComponentIssue }> {
  if ("component" in source) return { doc: source.component };
  if ("text" in source) return parseComponentText(source.text);
  let text: string;
  try {
    const allowPrivate = options.settings?.allowPrivateAddresses === true;
    const fetched = await fetchUrl(source.url, {
      maxBytes: 2 * 1024 * 1024,
      timeoutMs: 15_000,
      ...(allowPrivate ? { allowPrivateAddresses: true } : {}),
    });
    // The fetch tool hands JSON back as a Markdown code block; its body is the document.
    text = fetched.markdown.replace(/^```json\n/, "").replace(/\n```$/, "");
  } catch (error) {
    return { issue: { message: (error as Error).message, pointer: "" } };
  }
  return parseComponentText(text);
}

/** Checks and adds what `source` holds. */
export async function importComponents(
  gallery: GalleryStore,
  source: ImportSource,
  options: LoadComponentOptions,
): Promise<ImportOutcome> {
  const read = await readSource(source, options);
  if ("issue" in read) return { ok: false, issue: read.issue };
  const many = galleryComponents(read.doc);
  const components = many ?? [read.doc];
  if (components.length === 0) {
    return {
      ok: false,
      issue: { message: "the gallery document has no components", pointer: "/components" },
    };
  }
  const cleaned: ComponentModel[] = [];
  const droppedSecrets: string[] = [];
  for (const [index, component] of components.entries()) {
    const { doc, dropped } = stripSecrets(component);
    const issue = await checkComponent(doc, options);
    if (issue !== undefined) return { ok: false, issue: many ? { ...issue, index } : issue };
    cleaned.push(doc as ComponentModel);
    droppedSecrets.push(...dropped);
  }
  const items: GalleryItem[] = [];
  for (const component of cleaned) items.push(await gallery.add(component));
  return { ok: true, items, droppedSecrets };
}
