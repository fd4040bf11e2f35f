/**
 * Reading a run's server-sent events with `fetch` (not `EventSource`: its events are named by message
 * type, and the page needs every type and its own reconnect with `Last-Event-ID`).
 */

/** One event of a run: its sequence number in the record, its type and data. */
export interface RunEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

/** Streams the events after `after` until the server ends the stream or `signal` aborts. */
export async function readRun(
  runId: string,
  after: number,
  onEvent: (event: RunEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(`/runs/${encodeURIComponent(runId)}/stream`, {
    headers: after > 0 ? { "last-event-id": String(after) } : {},
    signal,
  });
  if (!response.ok || response.body === null) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      if (data !== "") onEvent(JSON.parse(data) as RunEvent);
    }
  }
}
