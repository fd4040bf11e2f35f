/**
 * The studio's own endpoints, under `/studio/api` beside the server's API: the gallery (list, import,
 * save, delete, export), component checks, provider schemas for the generated forms, component tests,
 * and run inspection (checkpoints, diff, fork, timeline). Mounted behind the server's guard.
 */
import type { ChatAgent, Team } from "@autogen-ts/agentchat";
import type { ComponentModel, LoadComponentOptions, Tool } from "@autogen-ts/core";
import { componentRegistry, loadComponent } from "@autogen-ts/ext/components";
import type { GuardedEnv } from "@autogen-ts/ext/http";
import { ANONYMOUS, errorResponseOf, type Principal, type ServerApp, ServerError } from "@autogen-ts/server";
import { Hono } from "hono";
import { type TestInput, testComponent } from "../component-test.js";
import { type ImportSource, importComponents } from "../gallery/import.js";
import { stripSecrets } from "../gallery/secrets.js";
import type { GalleryItem, GalleryStore } from "../gallery/store.js";
import { type ComponentIssue, checkComponent } from "../gallery/validate.js";
import { RunInspector } from "../inspect/index.js";
import { loadRunner } from "../teams.js";

/** What the studio API needs. */
export interface StudioApiOptions {
  readonly gallery: GalleryStore;
  /** The server app the API sits in (a function: the app is built with this API among its mounts). */
  readonly server: () => ServerApp;
  /** How components are loaded for runs and tests (the CLI's `--allow-code`, `--base-url`, ...). */
  readonly loadOptions: LoadComponentOptions;
}

/** The item as listed: its document with any secret left out (they are dropped on import too). */
function listed(item: GalleryItem): GalleryItem {
  return { ...item, component: stripSecrets(item.component).doc as ComponentModel };
}

function invalid(issue: ComponentIssue & { index?: number }): Response {
  return Response.json({ error: { code: "invalid_config", ...issue } }, { status: 400 });
}

async function body(c: { req: { json(): Promise<unknown> } }): Promise<Record<string, unknown>> {
  const value = await c.req.json().catch(() => {
    throw new ServerError(400, "bad_request", "the body must be JSON");
  });
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ServerError(400, "bad_request", "the body must be a JSON object");
  return value as Record<string, unknown>;
}

/** Builds the `/studio/api` app. */
export function studioApi(options: StudioApiOptions): Hono<GuardedEnv<Principal>> {
  const { gallery, server, loadOptions } = options;
  let inspecting: RunInspector | undefined;
  const inspector = () => {
    inspecting ??= new RunInspector(server().manager);
    return inspecting;
  };
  const app = new Hono<GuardedEnv<Principal>>();
  const who = (c: { get(key: "principal"): Principal | undefined }) => c.get("principal") ?? ANONYMOUS;
  const item = (id: string): GalleryItem => {
    const found = gallery.get(id);
    if (found === undefined) throw new ServerError(404, "not_found", `No component ${id} in the gallery`);
    return found;
  };

  // A page of another site can send simple POSTs to 127.0.0.1 (no preflight for text/plain): what
  // changes or runs something must be JSON, and from this origin when the browser says where it is from.
  app.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      const foreign =
        origin !== undefined &&
        (origin === "null" || !URL.canParse(origin) || new URL(origin).host !== c.req.header("host"));
      if (foreign)
        throw new ServerError(403, "unauthorized", "Cross-origin requests to the studio are refused");
      const type = c.req.header("content-type") ?? "";
      if (c.req.method !== "DELETE" && !type.startsWith("application/json"))
        throw new ServerError(415, "bad_request", "The studio API takes application/json");
    }
    await next();
  });

  app.get("/gallery", (c) => c.json({ items: gallery.list().map(listed) }));

  app.post("/gallery", async (c) => {
    const b = await body(c);
    const source: ImportSource | undefined =
      typeof b.url === "string"
        ? { url: b.url }
        : typeof b.text === "string"
          ? { text: b.text }
          : "component" in b
            ? { component: b.component }
            : undefined;
    if (source === undefined) throw new ServerError(400, "bad_request", "give one of component, text or url");
    const outcome = await importComponents(gallery, source, loadOptions);
    if (!outcome.ok) return invalid(outcome.issue);
    return c.json({ items: outcome.items.map(listed), droppedSecrets: outcome.droppedSecrets }, 201);
  });

  app.get("/gallery/:id", (c) => c.json(listed(item(c.req.param("id")))));

  app.put("/gallery/:id", async (c) => {
    const id = c.req.param("id");
    item(id);
    const { doc, dropped } = stripSecrets((await body(c)).component);
    const issue = await checkComponent(doc, loadOptions);
    if (issue !== undefined) return invalid(issue);
    return c.json({ item: listed(await gallery.put(id, doc as ComponentModel)), droppedSecrets: dropped });
  });

  app.delete("/gallery/:id", async (c) => {
    item(c.req.param("id"));
    await gallery.delete(c.req.param("id"));
    return c.body(null, 204);
  });

  // The document as AutoGen writes it: `autogen-ts run` and Python AutoGen both load it.
  app.get("/gallery/:id/export", (c) => {
    const found = listed(item(c.req.param("id")));
    return new Response(`${JSON.stringify(found.component, null, 2)}\n`, {
      headers: {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="${found.id}.json"`,
      },
    });
  });

  app.post("/validate", async (c) => {
    const issue = await checkComponent((await body(c)).component, loadOptions);
    return c.json(issue === undefined ? { ok: true } : { ok: false, issue });
  });

  // A tool's argument schema, for the test form (loaded without credentials; nothing runs).
  app.post("/describe", async (c) => {
    const component = (await body(c)).component;
    const issue = await checkComponent(component, loadOptions);
    if (issue !== undefined) return invalid(issue);
    const value = await loadComponent(component, { ...loadOptions, validateOnly: true });
    const schema = (value as Partial<Tool>).schema;
    return c.json(schema === undefined ? {} : { name: schema.name, schema: schema.parameters ?? {} });
  });

  app.get("/providers", async (c) => {
    const definitions = await componentRegistry.definitions();
    return c.json({
      items: definitions.map((d) => ({
        provider: d.provider,
        componentType: d.componentType,
        label: d.label,
        description: d.description,
        schema: d.schema,
      })),
    });
  });

  app.post("/test", async (c) => {
    const b = await body(c);
    const component = (b.component ?? (typeof b.id === "string" ? item(b.id).component : undefined)) as
      | ComponentModel
      | undefined;
    if (component === undefined) throw new ServerError(400, "bad_request", "give component or id");
    const issue = await checkComponent(component, loadOptions);
    if (issue !== undefined) return invalid(issue);
    return c.json(await testComponent(component, (b.input ?? {}) as TestInput, loadOptions));
  });

  app.get("/runs/:runId/checkpoints", async (c) =>
    c.json({ items: await inspector().checkpoints(who(c), c.req.param("runId")) }),
  );

  app.get("/runs/:runId/timeline", async (c) =>
    c.json({ items: await inspector().timeline(who(c), c.req.param("runId")) }),
  );

  app.get("/checkpoints/diff", async (c) => {
    const from = c.req.query("from");
    const to = c.req.query("to");
    if (!from || !to) throw new ServerError(400, "bad_request", "give from and to (checkpoint ids)");
    return c.json({ changes: await inspector().diff(who(c), from, to) });
  });

  app.post("/checkpoints/:id/fork", async (c) => {
    const b = await body(c);
    const team = typeof b.team === "string" ? b.team : "";
    const runner = (await loadRunner(item(team), loadOptions)) as unknown as Team | ChatAgent;
    try {
      return c.json({ ...(await inspector().fork(who(c), c.req.param("id"), runner)), team }, 201);
    } finally {
      await (runner as { close?: () => Promise<void> }).close?.().catch(() => {});
    }
  });

  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((error, c) => {
    const { status, body } = errorResponseOf(error);
    return c.json(body, status as 400);
  });
  return app;
}
