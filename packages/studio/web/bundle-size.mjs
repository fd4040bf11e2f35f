// Prints the gzipped size of the JavaScript the studio's page loads first (its entry script and the
// chunks it preloads; the builder's graph and editor chunks load later), and fails above the 350 KB bar.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../dist/web/", import.meta.url));
const html = readFileSync(join(root, "index.html"), "utf8");
const scripts = [
  ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g),
].map((m) => m[1]);
let raw = 0;
let gzipped = 0;
for (const file of scripts) {
  const bytes = readFileSync(join(root, file));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
// The raw baseline, measured the same way: an empty React page (React and ReactDOM, minified alone).
const empty = await build({
  stdin: {
    contents: 'import { createRoot } from "react-dom/client"; createRoot(document.body).render(null);',
    resolveDir: fileURLToPath(new URL(".", import.meta.url)),
  },
  bundle: true,
  minify: true,
  format: "esm",
  write: false,
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "silent",
});
const baseline = gzipSync(empty.outputFiles[0].contents, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);
const BAR = 350 * 1024;
console.log(
  `studio: initial JavaScript ${kb(gzipped)} KB gzipped (${kb(raw)} KB raw, ${scripts.length} files); ` +
    `an empty React page ${kb(baseline)} KB gzipped (${(gzipped / baseline).toFixed(2)}x); bar ${kb(BAR)} KB`,
);
if (gzipped > BAR) {
  console.error("studio: the initial JavaScript is over the bar");
  process.exit(1);
}
