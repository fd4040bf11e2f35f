/**
 * Every error class any package exports (core, agentchat and each ext subpath, read from the export
 * maps) is checked for identity: `Parent.isInstance(new Child())` holds, and no class claims an instance
 * of its parent or of a sibling. An exported class outside the AutogenError family, or one missing from
 * the table of constructors below, fails the test, so a new error class cannot skip the check.
 */
import { readFile } from "node:fs/promises";
import { AutogenError, type DeliveryError, type ModelError, restoreErrorIdentity } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";

type ErrorClass = typeof AutogenError;

// One way to build each exported error class (their constructors differ).
const makers: Record<string, (cls: ErrorClass) => AutogenError> = {
  AutogenError: (C) => new C("internal", "base"),
  ValidationError: (C) => new (C as never as new (m: string) => AutogenError)("validation"),
  CancelledError: (C) => new (C as never as new (m?: string) => AutogenError)(),
  DeliveryError: (C) => new (C as never as typeof DeliveryError)("undeliverable", "delivery") as AutogenError,
  ModelError: (C) => new (C as never as typeof ModelError)("provider_error", "model") as AutogenError,
  ToolError: (C) => new (C as never as new (m: string) => AutogenError)("tool"),
  StoreError: (C) =>
    new (C as never as new (c: string, s: string, m: string) => AutogenError)("not_found", "store", "gone"),
  CheckpointError: (C) =>
    new (C as never as new (c: string, m: string) => AutogenError)("checkpoint_corrupt", "bad"),
  TerminatedError: (C) => new (C as never as new (m: string) => AutogenError)("terminated"),
  InputRequiredError: (C) =>
    new (C as never as new (r: string, p: string) => AutogenError)("req-1", "Your answer?"),
  GuardrailError: (C) =>
    new (C as never as new (g: string, s: string, r: string) => AutogenError)(
      "token_budget",
      "model",
      "spent",
    ),
};

async function exportedEntries(pkg: string): Promise<string[]> {
  const url = new URL(`../../../${pkg}/package.json`, import.meta.url);
  const manifest = JSON.parse(await readFile(url, "utf8")) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.keys(manifest.exports).map((sub) =>
    sub === "." ? manifest.name : `${manifest.name}/${sub.slice(2)}`,
  );
}

async function exportedErrorClasses(): Promise<{ classes: Map<string, ErrorClass>; strays: string[] }> {
  const classes = new Map<string, ErrorClass>();
  const strays: string[] = [];
  for (const pkg of ["core", "agentchat", "ext"]) {
    for (const entry of await exportedEntries(pkg)) {
      const module = (await import(entry)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== "function" || !(value.prototype instanceof Error || value === Error)) continue;
        if (value === AutogenError || value.prototype instanceof AutogenError) {
          classes.set(name, value as ErrorClass);
        } else {
          strays.push(`${entry}: ${name}`);
        }
      }
    }
  }
  return { classes, strays };
}

describe("error identity across every package", () => {
  it("every exported error class is an AutogenError and knows its subclasses", async () => {
    const { classes, strays } = await exportedErrorClasses();
    expect(strays, "exported error classes outside the AutogenError family").toEqual([]);
    expect([...classes.keys()].sort()).toEqual(Object.keys(makers).sort());

    const instances = new Map([...classes].map(([name, cls]) => [name, makers[name]?.(cls)] as const));
    for (const [parentName, parent] of classes) {
      // Its own marker (shared across copies of the package) and its own isInstance (narrowing, unbound).
      expect(Object.hasOwn(parent, "marker") && Object.hasOwn(parent, "isInstance"), parentName).toBe(true);
      for (const [childName, child] of classes) {
        const instance = instances.get(childName);
        const related = child === parent || child.prototype instanceof parent;
        expect(parent.isInstance(instance), `${parentName}.isInstance(new ${childName}())`).toBe(related);
        // Unbound, as in `errors.filter(ModelError.isInstance)`.
        expect([instance].filter(parent.isInstance), `unbound ${parentName}.isInstance`).toHaveLength(
          related ? 1 : 0,
        );
        // The same after crossing a wire as plain data (name, code, message), as the NATS runtime and
        // the group-chat serializers rebuild it.
        const rebuilt = restoreErrorIdentity(new AutogenError(instance?.code ?? "internal", "x"), childName);
        expect(parent.isInstance(rebuilt), `${parentName}.isInstance(rebuilt ${childName})`).toBe(related);
      }
      // A user's subclass of an exported class is an instance of it, and the parent is not one of the child.
      const Sub = class extends parent {};
      const sub = makers[parentName]?.(Sub as ErrorClass);
      expect(parent.isInstance(sub), `${parentName}.isInstance(subclass)`).toBe(true);
      expect(Sub.isInstance(instances.get(parentName)), `subclass of ${parentName}.isInstance(parent)`).toBe(
        false,
      );
    }
  });
});
