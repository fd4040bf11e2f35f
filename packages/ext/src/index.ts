/**
 * @autogen-ts/ext: integrations. Each one lives behind its own subpath export
 * (`@autogen-ts/ext/models/openai`, `@autogen-ts/ext/tools/mcp`, ...), so that importing one never loads
 * another's dependencies. This root entry holds nothing heavy.
 *
 * @packageDocumentation
 */

export { VERSION } from "./version.js";
