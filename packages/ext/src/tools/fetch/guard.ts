/**
 * The SSRF guard: which IP addresses a fetch may connect to. Private, loopback, link-local, carrier-grade
 * NAT, multicast and reserved ranges are refused unless allowed. The check runs on the address the socket
 * actually connects to (a `lookup` hook), so a hostname that resolves to a private address, or changes
 * its answer between a check and the connection, is caught too.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { ToolError } from "@autogen-ts/core";

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv6");
}

/** The eight 16-bit groups of an IPv6 address (with a dotted IPv4 tail turned into two groups). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...right];
  return groups.map((g) => Number.parseInt(g, 16));
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`) address. */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g === undefined || g.slice(0, 5).some((x) => x !== 0)) return undefined;
  if (g[5] !== 0xffff && !(g[5] === 0 && (g[6] !== 0 || g[7]! > 1))) return undefined;
  return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
}

/** True when `address` (an IP literal) is private, loopback, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return BLOCKED.check(bare, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4 !== undefined) return BLOCKED.check(v4, "ipv4");
    return BLOCKED.check(bare.split("%")[0]!, "ipv6");
  }
  // Not an IP literal: a caller must resolve it first.
  return false;
}

/** The error for a refused address; the model reads its message. */
export function refusedAddress(host: string, address: string): ToolError {
  const shown = host === address ? address : `${host} (${address})`;
  return new ToolError(
    `Refused to fetch ${shown}: it is a private, loopback or reserved address (allow private addresses to fetch it)`,
    { code: "tool_error", details: { host, address, reason: "ssrf" } },
  );
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Which private addresses a fetch may still reach: `true` for all, or a function of the address and the
 * host name it came from.
 */
export type PrivateAddressPolicy = boolean | ((address: string, host: string) => boolean);

/** True when `address` (reached through `host`) may be connected to under `policy`. */
export function addressAllowed(
  address: string,
  host: string,
  policy: PrivateAddressPolicy | undefined,
): boolean {
  if (!isPrivateAddress(address)) return true;
  if (policy === true) return true;
  return typeof policy === "function" && policy(address, host);
}

/**
 * A `lookup` for `http.request` that resolves the host and refuses it when any of its addresses is
 * private (unless the policy allows it), then hands the socket the checked addresses.
 */
export function guardedLookup(policy: PrivateAddressPolicy | undefined) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => !addressAllowed(a.address, hostname, policy));
      if (bad !== undefined)
        return callback(refusedAddress(hostname, bad.address) as unknown as NodeJS.ErrnoException, []);
      if (list.length === 0) {
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * Checks a URL before anything connects to it: http or https only, no credentials in it, and an IP
 * literal under the policy (a literal connects without a lookup, so `guardedLookup` never sees it).
 *
 * @throws {@link ToolError} naming what is refused.
 */
export function checkUrlTarget(url: URL, policy: PrivateAddressPolicy | undefined): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolError(`Only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, "")}:`);
  }
  if (url.username || url.password) throw new ToolError("URLs with credentials in them are not fetched");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && !addressAllowed(host, host, policy)) throw refusedAddress(host, host);
}
