/**
 * `RedisCacheStore`: the chat-completion cache in Redis, through the official `redis` client (an
 * optional peer of `@autogen-ts/ext`). Entries are shared by every process that reaches the server, and
 * Redis itself expires them (`PX`), so a time to live costs nothing at read time.
 */
import { createRequire } from "node:module";
import { StoreError, ValidationError } from "@autogen-ts/core";
import type * as Redis from "redis";
import { errorText, redactConnectionString } from "../../../stores/sql/drivers.js";
import { type CacheStore, checkTtl } from "../store.js";

/**
 * The commands the store sends: what a client from `redis`'s `createClient()` offers (any client with
 * these methods works, a cluster or a pool included).
 */
export interface RedisCacheClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: { expiration?: { type: "PX"; value: number } }): Promise<unknown>;
  del(keys: string | string[]): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT?: number }): AsyncIterable<unknown>;
  close?(): Promise<unknown>;
}

/** Options of {@link RedisCacheStore.connect}. */
export interface RedisCacheStoreOptions {
  /** A `redis://` URL (default `redis://127.0.0.1:6379`); its password never appears in errors. */
  readonly url?: string;
  /** A connected client to use instead of `url` (the store then leaves closing it to you). */
  readonly client?: RedisCacheClient;
  /** Prefixed to every key, so several caches share one database (default `autogen:cache:`). */
  readonly keyPrefix?: string;
  /** Forget an entry this many milliseconds after it was set (default: never). */
  readonly ttlMs?: number;
  /** How long to wait for the server when connecting (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

function loadRedis(): typeof Redis {
  const require = createRequire(import.meta.url);
  try {
    return require("redis") as typeof Redis;
  } catch (cause) {
    throw new ValidationError(
      "The Redis cache store needs the optional peer dependency redis (npm install redis@^6)",
      { code: "invalid_config", cause },
    );
  }
}

/**
 * A {@link CacheStore} in Redis: one string key per entry, its value JSON text.
 *
 * @example
 * ```ts
 * const store = await RedisCacheStore.connect({ url: "redis://127.0.0.1:6379", ttlMs: 24 * 3600_000 });
 * const client = new ChatCompletionCache({ client: openai, store });
 * ```
 */
export class RedisCacheStore implements CacheStore {
  /** The store's name in errors: the URL without credentials. */
  readonly name: string;
  /** What every key starts with. */
  readonly keyPrefix: string;
  readonly #client: RedisCacheClient;
  readonly #ownsClient: boolean;
  readonly #ttlMs: number | undefined;
  #closed = false;

  private constructor(
    client: RedisCacheClient,
    ownsClient: boolean,
    name: string,
    keyPrefix: string,
    ttlMs: number | undefined,
  ) {
    this.#client = client;
    this.#ownsClient = ownsClient;
    this.name = name;
    this.keyPrefix = keyPrefix;
    this.#ttlMs = ttlMs;
  }

  /**
   * Connects to Redis (or takes `options.client`).
   *
   * @throws {@link StoreError} (`store_unavailable`) when the server cannot be reached.
   */
  static async connect(options: RedisCacheStoreOptions = {}): Promise<RedisCacheStore> {
    const ttlMs = checkTtl(options.ttlMs, "RedisCacheStore");
    const keyPrefix = options.keyPrefix ?? "autogen:cache:";
    if (typeof keyPrefix !== "string" || /[*?[\]\\]/.test(keyPrefix)) {
      throw new ValidationError("RedisCacheStore: keyPrefix should be a string without glob characters");
    }
    if (options.client !== undefined) {
      return new RedisCacheStore(options.client, false, "redis", keyPrefix, ttlMs);
    }
    const url = options.url ?? "redis://127.0.0.1:6379";
    const name = redactConnectionString(url, "redis");
    const redis = loadRedis();
    let connected = false;
    const client = redis.createClient({
      url,
      // A server that is not there at connect fails the connect; a connection lost later is retried
      // for as long as the store lives (backing off to 2 s), so the store works again once Redis is
      // back. Meanwhile commands fail at once rather than queue: a cache that cannot answer is a miss
      // the caller decides about, not a call that hangs.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 5000,
        reconnectStrategy: (retries: number) => (connected ? Math.min(50 * 2 ** retries, 2000) : false),
      },
    });
    client.on("ready", () => {
      connected = true;
    });
    // Without a listener a connection error would crash the process; the failing command reports it.
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (cause) {
      client.destroy();
      throw new StoreError("store_unavailable", name, `cannot reach Redis: ${errorText(cause)}`, { cause });
    }
    return new RedisCacheStore(client as unknown as RedisCacheClient, true, name, keyPrefix, ttlMs);
  }

  async #call<T>(body: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError("store_unavailable", this.name, "the store is closed");
    try {
      return await body();
    } catch (cause) {
      throw new StoreError("store_unavailable", this.name, `Redis failed: ${errorText(cause)}`, { cause });
    }
  }

  /** The value under `key`, or undefined. */
  async get(key: string): Promise<unknown> {
    const raw = await this.#call(() => this.#client.get(this.keyPrefix + key));
    if (raw === null || raw === undefined) return undefined;
    return JSON.parse(String(raw));
  }

  /**
   * Stores `value` (JSON-compatible) under `key`, with the store's time to live.
   *
   * @throws {@link ValidationError} when `value` has no JSON form.
   */
  async set(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new ValidationError(`${this.name}: a cached value must be JSON-compatible`);
    }
    const ttl = this.#ttlMs;
    await this.#call(() =>
      this.#client.set(
        this.keyPrefix + key,
        text,
        ttl === undefined ? undefined : { expiration: { type: "PX", value: Math.ceil(ttl) } },
      ),
    );
  }

  /** Forgets the entry under `key`. */
  async delete(key: string): Promise<void> {
    await this.#call(() => this.#client.del(this.keyPrefix + key));
  }

  /** Deletes every entry under this store's prefix (others in the database are left alone). */
  async clear(): Promise<void> {
    await this.#call(async () => {
      for await (const batch of this.#client.scanIterator({ MATCH: `${this.keyPrefix}*`, COUNT: 500 })) {
        const keys = (Array.isArray(batch) ? batch : [batch]).map(String);
        if (keys.length > 0) await this.#client.del(keys);
      }
    });
  }

  /** Closes the connection it opened (a client you passed stays open); idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsClient) await this.#client.close?.();
  }
}
