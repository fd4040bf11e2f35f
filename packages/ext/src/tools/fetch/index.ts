/**
 * The fetch tool: a URL to readable Markdown, behind an SSRF guard.
 *
 * @module
 */
export type { FetchedDocument, FetchToolOptions, FetchUrlOptions } from "./fetch.js";
export { FetchTool, fetchUrl } from "./fetch.js";
export type { PrivateAddressPolicy } from "./guard.js";
export { addressAllowed, checkUrlTarget, guardedLookup, isPrivateAddress } from "./guard.js";
