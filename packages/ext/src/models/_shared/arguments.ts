/**
 * Tool-call arguments going back to a provider that wants them as an object (Anthropic's `tool_use`
 * input, Ollama's `tool_calls`): the model's raw JSON text parsed, and text that is not a JSON object (the
 * model produced malformed JSON) sent as `{ "raw": "<text>" }`, since these providers accept only
 * objects there; the tool's error result that follows tells the model what went wrong.
 */
export function argumentsObject(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args.length === 0 ? "{}" : args);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Not JSON: sent as raw text below.
  }
  return { raw: args };
}

/** The media type and base64 data of a `data:` URL, or undefined for another URL. */
export function parseDataUrl(url: string | undefined): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url ?? "");
  return match ? { mediaType: match[1] ?? "image/png", data: match[2] ?? "" } : undefined;
}
