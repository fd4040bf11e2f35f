// The packaging check: packs every package as npm would publish it, checks each tarball (README, LICENSE,
// metadata, every export's built files), installs the tarballs into a fresh app with every optional peer,
// then, on each Node binary given (`--node <path>`, repeatable; default the current one), loads every
// subpath of every package with only the peers it declares (the others blocked), and runs a tiny agent on
// the replay model. Needs `npm run build` first. `node scripts/packaging/check.mjs [--node /path/to/node]`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const PACKAGES = [
  "packages/core",
  "packages/agentchat",
  "packages/ext",
  "packages/server",
  "packages/studio",
  "packages/cli",
];
const REQUIRED_FIELDS = ["name", "version", "description", "license", "keywords", "repository", "engines"];

const nodes = [];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--node") nodes.push(resolve(process.argv[++i]));
  else throw new Error(`unknown argument ${process.argv[i]}`);
}
if (nodes.length === 0) nodes.push(process.execPath);

const failures = [];
let passed = 0;
function check(label, ok, detail = "") {
  if (ok) passed += 1;
  else failures.push(`${label}${detail ? `: ${detail}` : ""}`);
  console.log(`${ok ? "ok  " : "FAIL"} ${label}${ok || !detail ? "" : `: ${detail.split("\n")[0]}`}`);
}
const sh = (file, args, options = {}) =>
  execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });

const work = mkdtempSync(join(tmpdir(), "autogen-ts-packaging-"));
try {
  // 1. Pack, as `npm publish` would.
  const packed = JSON.parse(
    sh("npm", ["pack", "--json", "--pack-destination", work, ...PACKAGES.flatMap((p) => ["-w", p])], {
      cwd: ROOT,
    }),
  );
  const tarballs = [];
  for (const dir of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
    const entry = packed.find((p) => p.name === manifest.name);
    const files = new Set(entry.files.map((f) => f.path));
    tarballs.push(join(work, entry.filename));
    check(
      `${manifest.name}: README.md and LICENSE in the tarball`,
      files.has("README.md") && files.has("LICENSE"),
    );
    const missing = REQUIRED_FIELDS.filter((f) => manifest[f] === undefined);
    check(
      `${manifest.name}: package.json has ${REQUIRED_FIELDS.join(", ")}`,
      missing.length === 0,
      missing.join(", "),
    );
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const absent = ["types", "default"]
        .map((c) => target[c].replace(/^\.\//, ""))
        .filter((f) => !files.has(f));
      check(
        `${manifest.name}: ${subpath} built files in the tarball`,
        absent.length === 0,
        absent.join(", "),
      );
    }
  }

  // 2. A fresh app with the tarballs and every optional peer of ext at its declared range. Install
  // scripts are skipped: nothing here needs a native addon to load (better-sqlite3 loads its addon
  // when a database opens), so the same install serves every Node version.
  const app = join(work, "app");
  sh("mkdir", ["-p", app]);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "smoke-app", private: true, type: "module" }),
  );
  const ext = JSON.parse(readFileSync(join(ROOT, "packages/ext/package.json"), "utf8"));
  const peers = Object.entries(ext.peerDependencies).map(([name, range]) => `${name}@${range}`);
  sh(
    "npm",
    ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs, ...peers],
    {
      cwd: app,
    },
  );
  check("the tarballs install into a fresh app", true);
  // The newest version each optional peer range admits (what npm just installed) runs on Node 20 and 22.
  for (const name of Object.keys(ext.peerDependencies)) {
    const peer = JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8"));
    const engines = peer.engines?.node ?? "*";
    const ok = ["20.19.0", "22.12.0"].every((v) => semver.satisfies(v, engines));
    check(
      `peer ${name}@${peer.version} (newest in ${ext.peerDependencies[name]}) supports Node 20 and 22`,
      ok,
      engines,
    );
  }
  copyFileSync(join(ROOT, "scripts/packaging/smoke-app.mjs"), join(app, "smoke-app.mjs"));
  copyFileSync(join(ROOT, "scripts/packaging/block-peers.mjs"), join(app, "block-peers.mjs"));

  const optionalPeers = Object.keys(ext.peerDependencies);
  const subpathPeers = ext.autogenTs.subpathPeers;
  for (const node of nodes) {
    const major = sh(node, ["-p", "process.versions.node"]).trim();
    // 3. Each subpath loads with only its own peers (a package's own dependencies count as installed).
    for (const dir of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
      const own = new Set(Object.keys(manifest.dependencies ?? {}));
      for (const subpath of Object.keys(manifest.exports)) {
        const allowed = new Set([
          ...(manifest.name === ext.name ? (subpathPeers[subpath] ?? []) : []),
          ...own,
        ]);
        const blocked = optionalPeers.filter((p) => !allowed.has(p));
        const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        try {
          sh(
            node,
            [
              "--import",
              "./block-peers.mjs",
              "--input-type=module",
              "-e",
              `await import(${JSON.stringify(specifier)});`,
            ],
            {
              cwd: app,
              env: { ...process.env, AUTOGEN_TS_BLOCKED_PEERS: JSON.stringify(blocked) },
            },
          );
          check(`node ${major}: ${specifier} loads with only its declared peers`, true);
        } catch (error) {
          check(
            `node ${major}: ${specifier} loads with only its declared peers`,
            false,
            String(error.stderr || error.message).trim(),
          );
        }
      }
    }
    // The hook itself: a subpath whose own peer is blocked must fail to load.
    try {
      sh(
        node,
        [
          "--import",
          "./block-peers.mjs",
          "--input-type=module",
          "-e",
          'await import("@autogen-ts/ext/models/openai");',
        ],
        {
          cwd: app,
          env: { ...process.env, AUTOGEN_TS_BLOCKED_PEERS: JSON.stringify(["openai"]) },
        },
      );
      check(`node ${major}: a blocked peer makes its subpath fail to load`, false, "it loaded");
    } catch (error) {
      check(
        `node ${major}: a blocked peer makes its subpath fail to load`,
        /Cannot find package 'openai'/.test(String(error.stderr)),
      );
    }
    // 4. The tiny agent, and the command line's demo.
    try {
      const out = JSON.parse(sh(node, ["smoke-app.mjs"], { cwd: app }));
      const expected = {
        node: major.split(".")[0],
        version: ext.version,
        answer: "The answer is 42.",
        afterLoad: "Still 42.",
      };
      check(
        `node ${major}: an agent with a tool runs from the installed packages`,
        JSON.stringify(out) === JSON.stringify(expected),
        JSON.stringify(out),
      );
    } catch (error) {
      check(
        `node ${major}: an agent with a tool runs from the installed packages`,
        false,
        String(error.stderr || error.message),
      );
    }
    try {
      const demo = sh(node, [join(app, "node_modules/autogen-ts/bin/autogen-ts.js"), "demo"], { cwd: app });
      check(
        `node ${major}: autogen-ts demo runs from the installed CLI`,
        /Stop reason: Text 'TERMINATE' mentioned/.test(demo),
        demo.slice(-300),
      );
    } catch (error) {
      check(
        `node ${major}: autogen-ts demo runs from the installed CLI`,
        false,
        String(error.stderr || error.message),
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`\npackaging: ${passed} passed, ${failures.length} failed`);
if (failures.length > 0) {
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
