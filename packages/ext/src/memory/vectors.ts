/**
 * What every vector store checks and computes the same way: cosine similarity, the shape of records,
 * searches and filters, and the one-length-per-store rule. Kept here so that the in-memory, SQLite and
 * PostgreSQL stores refuse the same input with the same error.
 */
import { ValidationError } from "@autogen-ts/core";
import type {
  MetadataCondition,
  MetadataFilter,
  MetadataValue,
  VectorRecord,
  VectorSearch,
} from "./types.js";

/** The cosine similarity of two vectors of one length (0 when either has no length). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Checks a vector: a non-empty array of finite numbers, not all zero (a zero vector has no direction). */
export function checkEmbedding(embedding: unknown, what: string): readonly number[] {
  if (!Array.isArray(embedding) || embedding.length === 0) {
    throw new ValidationError(`${what} should be a non-empty array of numbers`);
  }
  let norm = 0;
  for (const x of embedding) {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new ValidationError(`${what} should hold only finite numbers`);
    }
    norm += x * x;
  }
  if (norm === 0) throw new ValidationError(`${what} is all zeros, which has no direction to compare`);
  return embedding;
}

/** Checks a record's shape (the content's own shape is the memory's business). */
export function checkRecord(record: unknown, index: number): VectorRecord {
  const r = record as Partial<VectorRecord> | null;
  if (typeof r !== "object" || r === null) throw new ValidationError(`record ${index} should be an object`);
  if (typeof r.id !== "string" || r.id.length === 0) {
    throw new ValidationError(`record ${index} needs a non-empty string id`);
  }
  if (typeof r.content !== "object" || r.content === null || typeof r.content.mimeType !== "string") {
    throw new ValidationError(`record ${index} needs a content with a mimeType`);
  }
  checkEmbedding(r.embedding, `record ${index}'s embedding`);
  return r as VectorRecord;
}

/**
 * Checks that `records` all have one length, and the length the store already holds (`held`); returns
 * that length (undefined for no records and an empty store).
 */
export function checkDimensions(
  store: string,
  records: readonly VectorRecord[],
  held: number | undefined,
): number | undefined {
  let dims = held;
  for (const [i, record] of records.entries()) {
    if (dims === undefined) dims = record.embedding.length;
    else if (record.embedding.length !== dims) {
      throw new ValidationError(
        `${store}: record ${i} has ${record.embedding.length} dimensions, the store holds ${dims}-dimensional vectors`,
      );
    }
  }
  return dims;
}

/** Checks that every id appears once among `records`. */
export function checkUniqueIds(records: readonly VectorRecord[]): void {
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.id))
      throw new ValidationError(`record id ${JSON.stringify(record.id)} appears twice`);
    seen.add(record.id);
  }
}

function isScalar(value: unknown): value is MetadataValue {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/** One condition in its normal form: the values that match, or the one value that does not. */
export type NormalCondition =
  | { readonly key: string; readonly op: "in"; readonly values: readonly MetadataValue[] }
  | { readonly key: string; readonly op: "ne"; readonly value: MetadataValue };

/** Checks a filter and returns its conditions in normal form. */
export function normalizeFilter(filter: MetadataFilter | undefined): NormalCondition[] {
  if (filter === undefined) return [];
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw new ValidationError("A metadata filter should be an object of key: condition");
  }
  return Object.entries(filter).map(([key, condition]: [string, MetadataCondition]) => {
    if (key.length === 0 || /["\\]/.test(key)) {
      throw new ValidationError(`Metadata filter key ${JSON.stringify(key)}: empty, or has " or \\`);
    }
    if (isScalar(condition)) return { key, op: "in", values: [condition] };
    if (typeof condition === "object" && condition !== null && !Array.isArray(condition)) {
      const ops = Object.keys(condition);
      if (ops.length === 1 && ops[0] === "$in") {
        const values = (condition as { $in: unknown }).$in;
        if (Array.isArray(values) && values.every(isScalar)) return { key, op: "in", values };
      }
      if (ops.length === 1 && ops[0] === "$ne") {
        const value = (condition as { $ne: unknown }).$ne;
        if (isScalar(value)) return { key, op: "ne", value };
      }
    }
    throw new ValidationError(
      `Metadata filter on ${JSON.stringify(key)}: expected a string, number, boolean or null, { $in: [...] } or { $ne: value }`,
    );
  });
}

/** Whether `metadata` passes `conditions` (the in-memory store's filter; the SQL stores' agree). */
export function matches(
  metadata: Readonly<Record<string, unknown>> | undefined,
  conditions: readonly NormalCondition[],
): boolean {
  return conditions.every((c) => {
    const has = metadata !== undefined && Object.hasOwn(metadata, c.key);
    const value = has ? metadata[c.key] : undefined;
    if (c.op === "in") return has && c.values.some((v) => v === value);
    return !has || value !== c.value;
  });
}

/** Checks a search: its embedding, `k` (a positive integer) and threshold. */
export function checkSearch(search: VectorSearch): NormalCondition[] {
  checkEmbedding(search?.embedding, "The query embedding");
  if (!Number.isInteger(search.k) || search.k <= 0) {
    throw new ValidationError("k should be a positive integer");
  }
  const t = search.scoreThreshold;
  if (t !== undefined && (typeof t !== "number" || !Number.isFinite(t))) {
    throw new ValidationError("scoreThreshold should be a number (cosine similarity, -1 to 1)");
  }
  return normalizeFilter(search.filter);
}

/** Checks that a query's embedding has the store's length. */
export function checkQueryDimensions(
  store: string,
  embedding: readonly number[],
  held: number | undefined,
): void {
  if (held !== undefined && embedding.length !== held) {
    throw new ValidationError(
      `${store}: the query embedding has ${embedding.length} dimensions, the store holds ${held}-dimensional vectors`,
    );
  }
}
