// Bundles the portable packages' entry points (core, agentchat) after `tsc -b`, so that importing one
// loads a few files instead of ~90 modules: module loading, not code, dominated their cold start.
// Entry points share chunks (code splitting), so a class exists once however many entries import it.
// Types stay tsc's per-file declarations; dependencies stay external.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const PACKAGES = ["packages/core", "packages/agentchat"];

for (const dir of PACKAGES) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const entryPoints = {};
  for (const target of Object.values(pkg.exports)) {
    const out = target.default;
    if (!out?.startsWith("./dist/bundle/")) continue;
    const name = out.slice("./dist/bundle/".length).replace(/\.js$/, "");
    entryPoints[name] = join(dir, "dist", `${name}.js`);
  }
  // Chunk names are content hashes: without this, chunks of earlier builds would stay and be published.
  rmSync(join(dir, "dist/bundle"), { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: join(dir, "dist/bundle"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    sourcemap: true,
    external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})],
    logLevel: "warning",
  });
}
