import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources through our own export condition, so no build is needed first.
// The condition is namespaced: some dependencies (eventsource, eventsource-parser) publish a plain "source"
// condition pointing at TypeScript files of their own.
const conditions = ["@autogen-ts/source"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
