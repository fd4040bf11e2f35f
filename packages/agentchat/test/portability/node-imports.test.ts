/**
 * The built core and agentchat chunks import no Node-only module: no `node:*` specifier and no bare
 * built-in name (`fs`, `path/posix`, ...), whether by a static import, a re-export, a dynamic `import()`
 * or a `require`. Every other import must be a dependency or peer the package declares. esbuild parses
 * the chunks, so an import in a string or a comment is not mistaken for one.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundlesBuilt, ROOT } from "./support.js";

/** One import of a chunk that does not point at another file of the bundle. */
interface ExternalImport {
  readonly file: string;
  readonly specifier: string;
  readonly kind: string;
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split("/")[0]!]));

/** True for a specifier only Node (or its imitators) resolves. */
function isNodeOnly(specifier: string): boolean {
  return specifier.startsWith("node:") || BUILTINS.has(specifier) || BUILTINS.has(specifier.split("/")[0]!);
}

/** The external imports of each file, as esbuild parses them. */
async function externalImports(files: readonly string[]): Promise<ExternalImport[]> {
  const found: ExternalImport[] = [];
  for (const file of files) {
    await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: "neutral",
      logLevel: "silent",
      plugins: [
        {
          name: "record-externals",
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === "entry-point" || args.path.startsWith(".")) return undefined;
              found.push({ file: relative(ROOT, args.importer), specifier: args.path, kind: args.kind });
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
  }
  return found;
}

function chunksOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".js"))
    .map((f) => join(dir, f));
}

const built = bundlesBuilt();

describe("the Node-only import scan", () => {
  it("finds every kind of Node-only import in a chunk", async () => {
    const file = join(tmpdir(), `autogen-ts-scan-${process.pid}.js`);
    writeFileSync(
      file,
      [
        'import { readFile } from "node:fs/promises";',
        'export { join } from "path";',
        'const os = await import("os");',
        'const cp = require("child_process");',
        'const text = "import x from \\"node:net\\"";',
        'import { context } from "@opentelemetry/api";',
        "export { readFile, os, cp, text, context };",
      ].join("\n"),
    );
    const found = await externalImports([file]);
    expect(found.filter((i) => isNodeOnly(i.specifier)).map((i) => `${i.kind} ${i.specifier}`)).toEqual([
      "import-statement node:fs/promises",
      "import-statement path",
      "dynamic-import os",
      "require-call child_process",
    ]);
    expect(isNodeOnly("@opentelemetry/api")).toBe(false);
  });
});

describe.skipIf(!built)("the built core and agentchat chunks", () => {
  for (const pkg of ["core", "agentchat"]) {
    it(`${pkg} imports no Node built-in and only what it declares`, async () => {
      const dir = join(ROOT, "packages", pkg, "dist/bundle");
      const files = chunksOf(dir);
      expect(files.length).toBeGreaterThan(2);
      const found = await externalImports(files);
      expect(found.filter((i) => isNodeOnly(i.specifier))).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(ROOT, "packages", pkg, "package.json"), "utf8"));
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      const undeclared = found.filter(
        (i) => !declared.has(i.specifier.replace(/^((@[^/]+\/)?[^/]+).*$/, "$1")),
      );
      expect(undeclared).toEqual([]);
    });
  }
});
