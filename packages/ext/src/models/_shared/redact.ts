/**
 * Keeping secrets out of text: API keys and auth header values never reach a log line, an error message
 * or a thrown error, and URLs are shown without credentials.
 */

const MASK = "[redacted]";

/** Query parameters that carry credentials in some providers' URLs (Azure SAS, Gemini `key`, ...). */
const SECRET_PARAMS = new Set([
  "key",
  "api-key",
  "api_key",
  "apikey",
  "token",
  "access_token",
  "sig",
  "signature",
  "code",
  "password",
  "secret",
]);

/** Header names whose values are secrets. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "api-key",
  "x-api-key",
  "x-goog-api-key",
  "ocp-apim-subscription-key",
  "cookie",
  "set-cookie",
]);

/** Patterns of credentials that may show up in text without us knowing the exact value. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,}/g,
  /("?(?:api[-_]?key|x-api-key|authorization|access[-_]token)"?\s*[:=]\s*"?)[^\s",}]{4,}/gi,
];

/**
 * `url` without user name, password or credential query parameters. Text that is not a URL is
 * returned with any embedded credentials masked.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  parsed.username = "";
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, MASK);
  }
  return parsed.toString().replaceAll(encodeURIComponent(MASK), MASK);
}

/**
 * `text` with every known secret value and anything that looks like a credential (bearer tokens,
 * `sk-...` keys, `api_key=...`, credentials in URLs) masked.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would mask ordinary words; real keys are long.
    if (secret && secret.length >= 6) out = out.split(secret).join(MASK);
  }
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, "$1");
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: string) =>
      typeof prefix === "string" && match.startsWith(prefix) && prefix !== match ? `${prefix}${MASK}` : MASK,
    );
  }
  return out;
}

/** A copy of `headers` with secret header values masked (for logs and error details). */
export function redactHeaders(
  headers: Headers | Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? MASK : redactText(value);
  }
  return out;
}
