/**
 * The embedding-client interface the vector memory calls: texts in, one vector each out. The OpenAI
 * client in `@autogen-ts/ext/models/openai` implements it for any OpenAI-compatible `/embeddings`
 * endpoint; a local model or another provider needs only these two members.
 */

/** Options of one {@link EmbeddingClient.embed} call. */
export interface EmbedOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal;
}

/** Turns texts into vectors. */
export interface EmbeddingClient {
  /**
   * The model the vectors come from. A vector memory records it in its saved state, and refuses to load
   * a state from another model (the vectors would not be comparable).
   */
  readonly model: string;
  /** One vector per text, in the order given. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
}
