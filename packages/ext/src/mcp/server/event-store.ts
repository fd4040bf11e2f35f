/**
 * The in-memory event store that makes Streamable HTTP streams resumable: each SSE event gets an id, and a
 * client that reconnects with `Last-Event-ID` gets the events of that stream sent after it. Bounded: the
 * oldest events go first.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from "@modelcontextprotocol/server";

/** Options of {@link InMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /** The most events kept over all streams (default 10,000). */
  readonly maxEvents?: number;
}

/** An {@link EventStore} in this process's memory. */
export class InMemoryEventStore implements EventStore {
  private readonly events = new Map<EventId, { streamId: StreamId; seq: number; message: JSONRPCMessage }>();
  private seq = 0;
  private readonly maxEvents: number;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.maxEvents = options.maxEvents ?? 10_000;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const seq = ++this.seq;
    // The stream id rides in the event id, so a replay knows its stream even after eviction.
    const eventId = `${streamId}_${seq}`;
    this.events.set(eventId, { streamId, seq, message });
    for (const id of this.events.keys()) {
      if (this.events.size <= this.maxEvents) break;
      this.events.delete(id);
    }
    return eventId;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.events.get(eventId)?.streamId ?? parse(eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const last = parse(lastEventId);
    if (!last) return "";
    for (const [eventId, event] of this.events) {
      if (event.streamId === last.streamId && event.seq > last.seq) await send(eventId, event.message);
    }
    return last.streamId;
  }
}

function parse(eventId: string): { streamId: string; seq: number } | undefined {
  const at = eventId.lastIndexOf("_");
  if (at <= 0) return undefined;
  const seq = Number(eventId.slice(at + 1));
  return Number.isInteger(seq) ? { streamId: eventId.slice(0, at), seq } : undefined;
}
