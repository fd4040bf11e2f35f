/**
 * `@autogen-ts/ext/memory`: `VectorMemory`, AutoGen's vector memory on a pluggable store (top k by
 * cosine similarity, metadata filters, a score threshold, saved state with the vectors), the embedding
 * client and store interfaces, and the in-memory store. Portable; the SQLite and PostgreSQL + pgvector
 * stores are in `/memory/sqlite` and `/memory/postgres`, the OpenAI-compatible embedding client in
 * `/models/openai`.
 *
 * @packageDocumentation
 */
export type { EmbeddingClient, EmbedOptions } from "./embedding.js";
export type { InMemoryVectorStoreOptions } from "./in-memory-store.js";
export { InMemoryVectorStore } from "./in-memory-store.js";
export type {
  MetadataCondition,
  MetadataFilter,
  MetadataValue,
  ScoredRecord,
  VectorRecord,
  VectorSearch,
  VectorStore,
} from "./types.js";
export type { VectorMemoryOptions, VectorMemoryState, VectorQueryOptions } from "./vector-memory.js";
export { VECTOR_MEMORY_STATE_VERSION, VectorMemory } from "./vector-memory.js";
export { cosine } from "./vectors.js";
