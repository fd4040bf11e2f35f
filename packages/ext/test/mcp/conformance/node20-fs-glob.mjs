// The conformance suite imports fs.globSync, new in Node 22. On Node 20 this hook hands the suite a copy
// of fs with a small globSync (enough for its "**/<name>" patterns); on Node 22 it does nothing.
import fs from "node:fs";
import { register } from "node:module";

if (typeof fs.globSync !== "function") {
  register("./node20-fs-glob-hooks.mjs", import.meta.url);
}
