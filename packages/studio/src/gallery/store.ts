/**
 * `GalleryStore`: the components the studio lists. AutoGen Studio's default gallery is preloaded from the
 * package; what people import or save is kept in `<appdir>/gallery.json` (written whole, through a
 * temporary file and a rename, so that a crash leaves the old file or the new one, never half of one).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ComponentModel } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";

/** One listed component. */
export interface GalleryItem {
  /** Stable id (a slug of its label): what URLs and the server's team names use. */
  readonly id: string;
  readonly label: string;
  /** `component_type`: team, agent, model, tool, workbench, termination. */
  readonly type: string;
  readonly provider: string;
  readonly description: string;
  /** `default` for the preloaded gallery, `user` for what was imported or built here. */
  readonly source: "default" | "user";
  readonly component: ComponentModel;
  readonly updatedAt: string;
}

interface SavedFile {
  readonly version: 1;
  readonly items: GalleryItem[];
  /** Ids of default components that were deleted. */
  readonly removed: string[];
}

const DEFAULT_GALLERY = new URL("../../gallery/default.json", import.meta.url);

/** A slug of a label: lower case letters, digits and dashes. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s === "" ? "component" : s.slice(0, 80);
}

/** The components of a gallery document (`{components: {agents: [...], ...}}`), in order. */
export function galleryComponents(doc: unknown): ComponentModel[] | undefined {
  const groups = (doc as { components?: unknown } | null)?.components;
  if (groups === null || typeof groups !== "object" || Array.isArray(groups)) return undefined;
  return Object.values(groups as Record<string, unknown>).flatMap((g) =>
    Array.isArray(g) ? (g as ComponentModel[]) : [],
  );
}

function itemOf(component: ComponentModel, id: string, source: GalleryItem["source"]): GalleryItem {
  return {
    id,
    label: typeof component.label === "string" && component.label !== "" ? component.label : id,
    type: String(component.component_type ?? ""),
    provider: component.provider,
    description: typeof component.description === "string" ? component.description : "",
    source,
    component,
    updatedAt: new Date().toISOString(),
  };
}

/** The studio's component gallery. */
export class GalleryStore {
  readonly #file: string | undefined;
  readonly #items = new Map<string, GalleryItem>();
  readonly #removed = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string | undefined) {
    this.#file = file;
  }

  /** Opens the gallery of an app directory (created if missing); without one, nothing is kept. */
  static async open(options: { appDir?: string; preload?: boolean } = {}): Promise<GalleryStore> {
    const file = options.appDir === undefined ? undefined : join(options.appDir, "gallery.json");
    const store = new GalleryStore(file);
    if (options.appDir !== undefined) await mkdir(options.appDir, { recursive: true });
    let saved: SavedFile | undefined;
    if (file !== undefined) {
      try {
        saved = JSON.parse(await readFile(file, "utf8")) as SavedFile;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
          throw new ValidationError(
            `${file} is not a gallery the studio wrote: ${(error as Error).message}`,
            {
              code: "invalid_config",
              cause: error,
            },
          );
        }
      }
    }
    for (const id of saved?.removed ?? []) store.#removed.add(id);
    if (options.preload !== false) {
      const doc = JSON.parse(await readFile(DEFAULT_GALLERY, "utf8")) as unknown;
      for (const component of galleryComponents(doc) ?? []) {
        const id = store.#freeId(slug(String(component.label ?? component.provider)));
        if (!store.#removed.has(id)) store.#items.set(id, itemOf(component, id, "default"));
      }
    }
    for (const item of saved?.items ?? []) store.#items.set(item.id, item);
    return store;
  }

  #freeId(base: string): string {
    let id = base;
    for (let n = 2; this.#items.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  /** Every item, in the gallery's order. */
  list(): GalleryItem[] {
    return [...this.#items.values()];
  }

  get(id: string): GalleryItem | undefined {
    return this.#items.get(id);
  }

  /** Called after every change (the studio's team directory follows the gallery). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adds a component under a new id (its label's slug); resolves to the item. */
  async add(component: ComponentModel): Promise<GalleryItem> {
    const id = this.#freeId(slug(String(component.label ?? component.provider)));
    const item = itemOf(component, id, "user");
    this.#items.set(id, item);
    await this.#changed();
    return item;
  }

  /** Replaces a component's document (the builder's save). */
  async put(id: string, component: ComponentModel): Promise<GalleryItem> {
    if (!this.#items.has(id)) throw new ValidationError(`no component ${JSON.stringify(id)} in the gallery`);
    const item = itemOf(component, id, "user");
    this.#items.set(id, item);
    await this.#changed();
    return item;
  }

  async delete(id: string): Promise<boolean> {
    const item = this.#items.get(id);
    if (item === undefined) return false;
    this.#items.delete(id);
    if (item.source === "default") this.#removed.add(id);
    await this.#changed();
    return true;
  }

  async #changed(): Promise<void> {
    for (const listener of this.#listeners) listener();
    const file = this.#file;
    if (file === undefined) return;
    const saved: SavedFile = {
      version: 1,
      items: this.list().filter((i) => i.source === "user"),
      removed: [...this.#removed],
    };
    const text = `${JSON.stringify(saved, null, 2)}\n`;
    // Writes queue behind each other, so the file ends as the last change left it.
    this.#writing = this.#writing.then(async () => {
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, file);
    });
    await this.#writing;
  }
}
