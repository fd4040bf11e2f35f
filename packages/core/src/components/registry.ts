/**
 * `ComponentRegistry`: which definition loads each provider name and dumps each class. A registry may
 * extend another (agentchat's extends core's, ext's extends agentchat's); integrations register lazily,
 * by provider name, so that their modules are imported only when a document uses them.
 */
import { ValidationError } from "../errors.js";
import type { JsonSchema } from "../tools/types.js";
import { componentTypeSchema } from "./schema.js";
import type {
  ComponentDefinition,
  ComponentRegistryLike,
  ComponentType,
  LazyComponentDefinitions,
  UnsupportedProvider,
} from "./types.js";

type AnyDefinition = ComponentDefinition<unknown>;

/** True when the entry is an {@link UnsupportedProvider}, not a definition. */
export function isUnsupportedProvider(entry: unknown): entry is UnsupportedProvider {
  return typeof entry === "object" && entry !== null && "reason" in entry && !("load" in entry);
}

/** A set of component definitions, looked up by provider name or by an object's class. */
export class ComponentRegistry implements ComponentRegistryLike {
  readonly #parent: ComponentRegistry | undefined;
  readonly #byProvider = new Map<string, AnyDefinition>();
  readonly #byClass = new Map<unknown, AnyDefinition>();
  readonly #lazyByProvider = new Map<string, LazyComponentDefinitions>();
  readonly #lazyByClassName = new Map<string, LazyComponentDefinitions>();
  readonly #unsupported = new Map<string, UnsupportedProvider>();
  readonly #imported = new Map<LazyComponentDefinitions, Promise<void>>();

  /** @param options.parent a registry whose definitions this one inherits (its own take precedence). */
  constructor(options: { parent?: ComponentRegistry } = {}) {
    this.#parent = options.parent;
  }

  /** Adds definitions; a provider or alias already registered here is an error. */
  register(...definitions: readonly ComponentDefinition<unknown>[]): this {
    for (const raw of definitions) {
      const definition = raw;
      for (const name of [definition.provider, ...(definition.aliases ?? [])]) {
        if (this.#byProvider.has(name)) throw new ValidationError(`Provider "${name}" is registered twice`);
        this.#byProvider.set(name, definition);
        this.#unsupported.delete(name);
      }
      if (definition.ownName !== undefined) this.#byProvider.set(definition.ownName, definition);
      for (const cls of definition.classes ?? []) this.#byClass.set(cls, definition);
    }
    return this;
  }

  /** Adds providers whose definitions are imported on first use. */
  registerLazy(entry: LazyComponentDefinitions): this {
    for (const name of entry.providers) this.#lazyByProvider.set(name, entry);
    for (const name of entry.classNames ?? []) this.#lazyByClassName.set(name, entry);
    return this;
  }

  /** Records providers AutoGen has that are not supported yet, with the reason loading them gives. */
  registerUnsupported(...entries: readonly UnsupportedProvider[]): this {
    for (const entry of entries) this.#unsupported.set(entry.provider, entry);
    return this;
  }

  async #importLazy(entry: LazyComponentDefinitions): Promise<void> {
    let pending = this.#imported.get(entry);
    if (pending === undefined) {
      pending = entry.load().then((definitions) => {
        for (const d of definitions) {
          if (!this.#byProvider.has(d.provider)) this.register(d);
        }
      });
      this.#imported.set(entry, pending);
      pending.catch(() => this.#imported.delete(entry));
    }
    await pending;
  }

  /** The definition of a provider (importing it first when it is lazy), its unsupported entry, or undefined. */
  async resolve(provider: string): Promise<AnyDefinition | UnsupportedProvider | undefined> {
    const own = this.#byProvider.get(provider);
    if (own !== undefined) return own;
    const lazy = this.#lazyByProvider.get(provider);
    if (lazy !== undefined) {
      await this.#importLazy(lazy);
      const loaded = this.#byProvider.get(provider);
      if (loaded !== undefined) return loaded;
    }
    const fromParent = await this.#parent?.resolve(provider);
    if (fromParent !== undefined) return fromParent;
    return this.#unsupported.get(provider);
  }

  /** The definition that dumps `value`: by its exact class, importing a lazy module by class name. */
  async definitionFor(value: object): Promise<AnyDefinition | undefined> {
    const cls = value.constructor;
    const own = this.#byClass.get(cls);
    if (own !== undefined) return own;
    const lazy = typeof cls?.name === "string" ? this.#lazyByClassName.get(cls.name) : undefined;
    if (lazy !== undefined) {
      await this.#importLazy(lazy);
      const loaded = this.#byClass.get(cls);
      if (loaded !== undefined) return loaded;
    }
    return this.#parent?.definitionFor(value);
  }

  /** Every provider name this registry (and its parents) knows, eager and lazy, sorted. */
  providers(): string[] {
    const names = new Set<string>([...this.#byProvider.keys(), ...this.#lazyByProvider.keys()]);
    for (const name of this.#parent?.providers() ?? []) names.add(name);
    return [...names].sort();
  }

  /** The providers known to be unsupported, with their reasons. */
  unsupported(): UnsupportedProvider[] {
    const all = new Map<string, UnsupportedProvider>();
    for (const entry of this.#parent?.unsupported() ?? []) all.set(entry.provider, entry);
    for (const [name, entry] of this.#unsupported) all.set(name, entry);
    return [...all.values()].filter((entry) => !this.providers().includes(entry.provider));
  }

  /** Every definition, importing the lazy ones. */
  async definitions(): Promise<AnyDefinition[]> {
    await Promise.all([...new Set(this.#lazyByProvider.values())].map((entry) => this.#importLazy(entry)));
    const seen = new Set<AnyDefinition>(await (this.#parent?.definitions() ?? []));
    for (const d of this.#byProvider.values()) seen.add(d);
    return [...seen];
  }

  /** A JSON Schema for documents of one component type (`"model"`, `"team"`, ...). */
  async schemaFor(type: ComponentType | string): Promise<JsonSchema> {
    return componentTypeSchema(type, await this.definitions());
  }
}
