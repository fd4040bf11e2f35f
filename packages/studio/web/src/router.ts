/** Hash routes: `#/view/arg?query`. */

/** The current route: `#/builder/roundrobin-team` is `["builder", "roundrobin-team"]`, plus the query. */
export interface Route {
  readonly view: string;
  readonly arg: string | undefined;
  readonly query: URLSearchParams;
}

export function readRoute(): Route {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = hash.split("?");
  const [view = "gallery", arg] = path.split("/").map(decodeURIComponent);
  return { view: view || "gallery", arg: arg || undefined, query: new URLSearchParams(search) };
}

/** Goes to a route (`navigate("playground", threadId, { run })`). */
export function navigate(view: string, arg?: string, query: Record<string, string> = {}): void {
  const q = new URLSearchParams(query).toString();
  window.location.hash = `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ""}${q ? `?${q}` : ""}`;
}
