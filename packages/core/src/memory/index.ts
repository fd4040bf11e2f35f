/**
 * Memory: stores an agent queries to add relevant content to its model context. Mirrors AutoGen's
 * `autogen_core.memory`.
 *
 * @module
 */
export type { ListMemoryOptions, ListMemoryState } from "./list-memory.js";
export { LIST_MEMORY_STATE_VERSION, ListMemory } from "./list-memory.js";
export type {
  Memory,
  MemoryCallOptions,
  MemoryContent,
  MemoryQueryResult,
  MemoryState,
  UpdateContextResult,
} from "./types.js";
export { MemoryMimeType } from "./types.js";
