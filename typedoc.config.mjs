// The API reference (`npm run docs:api`, into docs/api/, not committed): every public subpath of every
// package, from the TSDoc in the sources, read from the packages' exports so a new subpath is included.
import { readFileSync } from "node:fs";

const PACKAGES = ["core", "agentchat", "ext", "server", "cli"];

const entryPoints = PACKAGES.flatMap((dir) => {
  const { exports } = JSON.parse(readFileSync(`packages/${dir}/package.json`, "utf8"));
  return Object.values(exports).map((target) => `packages/${dir}/${target["@autogen-ts/source"].slice(2)}`);
});

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "autogen-ts",
  entryPoints,
  tsconfig: "tsconfig.docs.json",
  out: "docs/api",
  readme: "none",
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: false,
  treatValidationWarningsAsErrors: false,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  logLevel: "Warn",
};
