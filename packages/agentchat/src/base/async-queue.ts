/**
 * A single-consumer async queue: the bridge between a producer that pushes (the runtime's output topic, an
 * agent's turn) and the `for await` loop of `runStream` or `onMessagesStream`.
 */

/** Items pushed by producers, read once by one `for await` loop; `fail` ends the loop with an error. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #head = 0;
  #wake: (() => void) | undefined;
  #error: { error: unknown } | undefined;
  #closed = false;

  /** Adds an item (ignored once the queue has closed or failed). */
  push(item: T): void {
    if (this.#closed || this.#error) return;
    this.#items.push(item);
    this.#notify();
  }

  /** Ends the iteration with `error` once the items already queued are read. */
  fail(error: unknown): void {
    if (this.#closed || this.#error) return;
    this.#error = { error };
    this.#notify();
  }

  /** Ends the iteration once the items already queued are read. */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.#head < this.#items.length) {
        const item = this.#items[this.#head] as T;
        this.#head += 1;
        if (this.#head === this.#items.length) {
          this.#items = [];
          this.#head = 0;
        }
        yield item;
        continue;
      }
      if (this.#error) throw this.#error.error;
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
