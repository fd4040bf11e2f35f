/** The page's calls to the studio server (same origin): the server's API and `/studio/api`. */

/** A component document as AutoGen writes it. */
export interface Component {
  provider: string;
  component_type?: string;
  version?: number;
  component_version?: number;
  label?: string | null;
  description?: string | null;
  config: Record<string, unknown>;
}

export interface GalleryItem {
  id: string;
  label: string;
  type: string;
  provider: string;
  description: string;
  source: "default" | "user";
  component: Component;
}

/** A problem with a document, at a JSON pointer. */
export interface Issue {
  message: string;
  pointer: string;
  index?: number;
}

/** An error answer of the server, with the issue when it is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issue?: Issue,
  ) {
    super(message);
  }
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, "unreachable", "The studio server cannot be reached (is it running?)");
  }
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { error?: Issue & { code?: string } };
  if (!response.ok) {
    const e = data.error;
    const issue =
      e && typeof e.pointer === "string"
        ? { message: e.message, pointer: e.pointer, ...(e.index !== undefined ? { index: e.index } : {}) }
        : undefined;
    throw new ApiError(response.status, e?.code ?? "error", e?.message ?? `HTTP ${response.status}`, issue);
  }
  return data as T;
}

export interface Provider {
  provider: string;
  componentType: string;
  label: string;
  description: string;
  schema: JsonSchema;
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  [key: string]: unknown;
};

let providers: Promise<Map<string, Provider>> | undefined;
/** The providers the server loads, with their config schemas (for the generated forms). */
export function loadProviders(): Promise<Map<string, Provider>> {
  providers ??= call<{ items: Provider[] }>("GET", "/studio/api/providers").then(
    (r) => new Map(r.items.map((p) => [p.provider, p])),
  );
  return providers;
}

export const gallery = {
  list: () => call<{ items: GalleryItem[] }>("GET", "/studio/api/gallery").then((r) => r.items),
  import: (source: { text: string } | { url: string } | { component: unknown }) =>
    call<{ items: GalleryItem[]; droppedSecrets: string[] }>("POST", "/studio/api/gallery", source),
  save: (id: string, component: Component) =>
    call<{ item: GalleryItem; droppedSecrets: string[] }>(
      "PUT",
      `/studio/api/gallery/${encodeURIComponent(id)}`,
      {
        component,
      },
    ),
  validate: (component: unknown) =>
    call<{ ok: boolean; issue?: Issue }>("POST", "/studio/api/validate", { component }),
  exportUrl: (id: string) => `/studio/api/gallery/${encodeURIComponent(id)}/export`,
};
