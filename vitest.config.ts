import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources (the "source" export condition), so no build is needed first.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    // Vitest hands the "source" condition to Node too, and eventsource/eventsource-parser publish a
    // "source" condition of their own (TypeScript files). Let Vite load them and the packages that
    // import them (the MCP SDK, the AI SDK's provider packages).
    server: {
      deps: {
        inline: [
          "@modelcontextprotocol/sdk",
          "@modelcontextprotocol/client",
          "@modelcontextprotocol/server",
          "@modelcontextprotocol/core",
          "@ai-sdk/openai",
          "@ai-sdk/provider-utils",
          "@ai-sdk/provider",
          "eventsource",
          "eventsource-parser",
        ],
      },
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
