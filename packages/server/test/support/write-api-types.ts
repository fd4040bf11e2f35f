/**
 * Rewrites `test/support/api.generated.ts` from the app's OpenAPI document:
 * `npm run api-types -w @autogen-ts/server` after changing a route or a schema.
 */
import { writeFile } from "node:fs/promises";
import { InMemoryRunStore } from "@autogen-ts/core";
import { createServerApp } from "../../src/index.js";
import { API_TYPES_FILE, apiTypes } from "./openapi.js";

const server = createServerApp({
  store: new InMemoryRunStore(),
  teams: [{ name: "any", create: () => Promise.reject(new Error("not run")) }],
});
await writeFile(API_TYPES_FILE, await apiTypes(server.document()));
process.stderr.write(`wrote ${API_TYPES_FILE.pathname}\n`);
