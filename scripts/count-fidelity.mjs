#!/usr/bin/env node
// Counts the AutoGen test cases the fidelity suite ports: the unique `test_xxx.py::test_name` origins named
// in the titles of the tests under packages/*/test/fidelity/ (a case run on several runtimes or clients
// counts once). It asks vitest for the collected titles, so what is counted is what runs.
//   node scripts/count-fidelity.mjs            the count
//   node scripts/count-fidelity.mjs --list     every origin, by Python file
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";

const dirs = readdirSync("packages")
  .map((p) => `packages/${p}/test/fidelity`)
  .filter((d) => {
    try {
      return readdirSync(d).length > 0;
    } catch {
      return false;
    }
  });
const out = execFileSync("npx", ["vitest", "list", ...dirs, "--json"], {
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  stdio: ["ignore", "pipe", "inherit"],
});
const tests = JSON.parse(out);
const origins = new Set();
const unnamed = [];
for (const test of tests) {
  const found = test.name.match(/test_\w+\.py::\w+/g);
  if (found === null) unnamed.push(test.name);
  else for (const origin of found) origins.add(origin);
}
if (process.argv.includes("--list")) {
  for (const origin of [...origins].sort()) console.log(origin);
}
if (unnamed.length > 0) {
  console.error(`${unnamed.length} fidelity test(s) name no Python origin:`);
  for (const name of unnamed) console.error(`  ${name}`);
}
console.log(`${origins.size} AutoGen test cases ported (${tests.length} fidelity tests)`);
process.exitCode = unnamed.length > 0 ? 1 : 0;
