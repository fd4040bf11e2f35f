/**
 * The gallery's `autogen_ext.agents.web_surfer.MultimodalWebSurfer` document loads through the components
 * loader into a MultimodalWebSurfer and browses a loopback site on the scripted OpenAI-format model
 * server; the web search and fetch tools load from their own documents.
 */
import { readFileSync } from "node:fs";
import type { ComponentModel } from "@autogen-ts/core";
import { toolResultText } from "@autogen-ts/core";
import { MultimodalWebSurfer } from "@autogen-ts/ext/agents/web-surfer";
import { dumpComponent, loadComponent } from "@autogen-ts/ext/components";
import type { FetchTool } from "@autogen-ts/ext/tools/fetch";
import type { WebSearchTool } from "@autogen-ts/ext/tools/web-search";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../support/model-server.js";
import { chatReply } from "../support/openai-wire.js";
import { startSite } from "./site.js";
import { CHROMIUM_PATH, chromiumAvailable, json, type LoopbackServer, startServer } from "./support.js";

const DIR = new URL("../../../../../shared/conformance/autogen-studio", import.meta.url).pathname;
const gallery = JSON.parse(readFileSync(`${DIR}/studio_default_gallery.json`, "utf8")) as {
  components: Record<string, ComponentModel[]>;
};
const surferDoc = gallery.components.agents!.find(
  (a) => a.provider === "autogen_ext.agents.web_surfer.MultimodalWebSurfer",
)!;

const available = chromiumAvailable();

describe("web components", () => {
  let site: LoopbackServer;
  let models: ModelServer;
  beforeAll(async () => {
    // The gallery's OpenAI client reads its key from the environment, as AutoGen's does.
    process.env.OPENAI_API_KEY ??= "sk-test";
    site = await startSite();
    models = await startModelServer();
  });
  afterAll(async () => {
    await site.close();
    await models.close();
  });

  it("loads the gallery's web surfer and dumps it back", async () => {
    const surfer = await loadComponent<MultimodalWebSurfer>(surferDoc, {
      env: { OPENAI_API_KEY: "sk-test" },
    });
    expect(surfer).toBeInstanceOf(MultimodalWebSurfer);
    expect(surfer.name).toBe("websurfer_agent");
    expect(surfer.options.startPage).toBe("https://www.bing.com/");
    expect(surfer.browser.started).toBe(false);
    expect((await dumpComponent(surfer)).config).toEqual(surferDoc.config);
  });

  it.skipIf(!available)("runs the gallery's web surfer on loopback pages and the model server", async () => {
    const surfer = await loadComponent<MultimodalWebSurfer>(surferDoc, {
      env: { OPENAI_API_KEY: "sk-test" },
      // The site is on loopback, which the browser's URL guard refuses by default.
      settings: { chromiumPath: CHROMIUM_PATH, allowPrivateAddresses: true },
      transform: (c) =>
        c.component_type === "model"
          ? { ...c, config: { ...c.config, base_url: `${models.url}/v1` } }
          : c.provider === surferDoc.provider
            ? { ...c, config: { ...c.config, start_page: `${site.url}/` } }
            : c,
    });
    models.enqueue(
      chatReply({ toolCalls: [{ id: "c1", name: "click", arguments: '{"target_id":2}' }] }),
      chatReply({ content: "The weather form asks for a city." }),
    );
    try {
      const result = await surfer.run({ task: "What does the weather form ask for?" });
      expect(result.messages.at(-1)!.toText()).toMatch(
        /^The weather form asks for a city\.\n\nCurrent page: Weather form/,
      );
      // gpt-4o-mini has vision: the model got a screenshot with every state.
      const body = JSON.stringify(models.requests.at(-1)!.body);
      expect(body).toContain("data:image/png;base64,");
      expect(body).toContain('[1] textbox \\"City\\" (editable)');
    } finally {
      await surfer.close();
    }
  });

  it("loads the search and fetch tools from their documents", async () => {
    const searx = await startServer({
      "/search": (_req, res) =>
        json(res, 200, { query: "q", results: [{ url: "https://a.example", title: "A", content: "first" }] }),
    });
    try {
      const search = await loadComponent<WebSearchTool>({
        provider: "autogen_ts.ext.tools.web_search.WebSearchTool",
        config: { provider: "searxng", base_url: searx.url, name: "search" },
      });
      expect(toolResultText(await search.call({ query: "q" }))).toBe(
        'Results for "q":\n\n1. [A](https://a.example)\n   first',
      );
      const fetchDoc = { provider: "autogen_ts.ext.tools.fetch.FetchTool", config: { max_length: 500 } };
      const strict = await loadComponent<FetchTool>(fetchDoc);
      expect((await strict.call({ url: `${site.url}/article` })).isError).toBe(true);
      const local = await loadComponent<FetchTool>(fetchDoc, { settings: { allowPrivateAddresses: true } });
      expect(toolResultText(await local.call({ url: `${site.url}/article` }))).toContain(
        "Sea otters hold hands",
      );
    } finally {
      await searx.close();
    }
  });
});
