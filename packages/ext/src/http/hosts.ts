/**
 * Which host names are loopback, and which `Host` headers a server accepts. A browser page on any site can
 * reach a server on 127.0.0.1 through a name it controls (DNS rebinding); the `Host` header still carries
 * that name, so checking it keeps such pages out.
 */

/** The host names a loopback server answers to by default (any port). */
export const LOOPBACK_HOSTNAMES: readonly string[] = ["127.0.0.1", "localhost", "[::1]"];

/** Whether `host` (a bind address or a host name, IPv6 with or without brackets) is loopback. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "localhost" || bare === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Splits a `Host` header into its name and port (`""` when it names none). */
export function splitHostHeader(header: string): { name: string; port: string } {
  const text = header.trim().toLowerCase();
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0) return { name: text, port: "" };
    const rest = text.slice(end + 1);
    return { name: text.slice(0, end + 1), port: rest.startsWith(":") ? rest.slice(1) : "" };
  }
  const colon = text.lastIndexOf(":");
  return colon < 0 ? { name: text, port: "" } : { name: text.slice(0, colon), port: text.slice(colon + 1) };
}

/**
 * A test for `Host` headers: `"*"` accepts any; otherwise each entry is a name (any port) or `name:port`
 * (that port only), compared case-insensitively.
 */
export function hostMatcher(allowed: readonly string[] | "*"): (header: string | undefined) => boolean {
  if (allowed === "*") return () => true;
  const entries = allowed.map((entry) => splitHostHeader(entry));
  return (header) => {
    if (header === undefined || header === "") return false;
    const { name, port } = splitHostHeader(header);
    return entries.some((entry) => entry.name === name && (entry.port === "" || entry.port === port));
  };
}
