/**
 * The package's version, as the OpenAPI document and handshakes report it. A constant rather than a read
 * of `package.json` because the app runs on hosts without a file system (Deno Deploy, edge workers);
 * `test/version.test.ts` keeps it equal to `package.json`.
 */
export const SERVER_VERSION = "0.1.0";
