// A module resolve hook for the packaging check: when our packages import one of the optional peers
// listed in AUTOGEN_TS_BLOCKED_PEERS (JSON), resolution fails as if the peer were not installed. The
// check uses it to load each subpath with only its own declared peers "installed".
import { register } from "node:module";

const blocked = process.env.AUTOGEN_TS_BLOCKED_PEERS ?? "[]";
register(
  `data:text/javascript,${encodeURIComponent(`
const blocked = new Set(${blocked});
const ours = /\\/node_modules\\/(@autogen-ts\\/[^/]+|autogen-ts)\\//;
const nameOf = (s) => s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0];
export async function resolve(specifier, context, next) {
  if (blocked.has(nameOf(specifier)) && ours.test(context.parentURL ?? "")) {
    const error = new Error("Cannot find package '" + nameOf(specifier) + "' (blocked: not a declared peer of this subpath)");
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return next(specifier, context);
}`)}`,
);
