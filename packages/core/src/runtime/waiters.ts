/**
 * `Waiters`: promises that resolve once a condition holds, checked when the runtime says something
 * changed (a handler settled, the queue drained). How runtimes implement `idle()` and `stopWhen()`.
 */

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
}

/** Pending waits on conditions; {@link check} resolves those that now hold. */
export class Waiters {
  #waiters: Waiter[] = [];

  /** Whether anyone waits (so the hot path can skip {@link check}). */
  get waiting(): boolean {
    return this.#waiters.length > 0;
  }

  /** Resolves at once when `ready()` holds, else at the first {@link check} that finds it holding. */
  until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  /** Resolves every waiter whose condition holds now. */
  check(): void {
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; i++) {
      const waiter = waiters[i] as Waiter;
      if (!waiter.ready()) continue;
      waiters.splice(i, 1);
      i -= 1;
      waiter.resolve();
    }
  }
}
