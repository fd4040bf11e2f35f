// Generated from package.json by scripts/versions.mjs: do not edit.

/** The version of `@autogen-ts/ext`, as in its package.json. */
export const VERSION: string = "0.1.0";
