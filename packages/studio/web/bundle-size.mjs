// Prints the gzipped size of the JavaScript the studio's page loads first (its entry script and the
// chunks it preloads; the builder's graph and editor chunks load later), and fails above the 350 KB bar.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

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
const kb = (n) => (n / 1024).toFixed(1);
const BAR = 350 * 1024;
console.log(
  `studio: initial JavaScript ${kb(gzipped)} KB gzipped (${kb(raw)} KB raw, ${scripts.length} files); bar ${kb(BAR)} KB`,
);
if (gzipped > BAR) {
  console.error("studio: the initial JavaScript is over the bar");
  process.exit(1);
}
