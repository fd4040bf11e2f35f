// Writes each package's `src/version.ts` from its package.json, the one place a version is written
// (changesets bumps it there). Run by `npm run build` and `npm run version`; `--check` only reports a
// stale module and exits 1. A module, not a JSON import, because core and agentchat must run where
// there is no file system and tsc's project build keeps package.json out of `src`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PACKAGES = ["packages/core", "packages/agentchat", "packages/ext", "packages/server"];
const check = process.argv.includes("--check");
let stale = 0;
for (const dir of PACKAGES) {
  const { name, version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const text = `// Generated from package.json by scripts/versions.mjs: do not edit.

/** The version of \`${name}\`, as in its package.json. */
export const VERSION: string = ${JSON.stringify(version)};
`;
  const file = join(dir, "src/version.ts");
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {}
  if (current === text) continue;
  stale += 1;
  if (check) console.error(`${file} does not match ${name}@${version}: run node scripts/versions.mjs`);
  else writeFileSync(file, text);
}
if (check && stale > 0) process.exit(1);
