/**
 * Worker liveness. Every worker answers pings on its own subject; a caller waiting on requests that a
 * worker acknowledged pings that worker now and then. When the worker's connection is gone the server
 * answers "no responders" at once (it drops a dead client's subscriptions when its socket closes), and
 * the caller fails those requests with `worker_lost` instead of waiting forever.
 */
import {
  type NatsConnection,
  type Subscription as NatsSubscription,
  RequestError,
} from "@nats-io/transport-node";
import { EMPTY, type Subjects } from "./wire.js";

/** Answers liveness pings for one worker. */
export function answerLiveness(nc: NatsConnection, subjects: Subjects, workerId: string): NatsSubscription {
  return nc.subscribe(subjects.worker(workerId), {
    callback: (_err, msg) => {
      if (msg.reply) msg.respond(EMPTY);
    },
  });
}

/** Options of {@link LivenessMonitor}. */
export interface LivenessMonitorOptions {
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** The workers to check now (those holding calls). */
  readonly workers: () => Iterable<string>;
  /** Called for a worker found gone. */
  readonly lost: (worker: string, why: string) => void;
}

/** Pings the workers that hold a caller's requests while there are any. */
export class LivenessMonitor {
  readonly #o: LivenessMonitorOptions;
  readonly #checking = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: LivenessMonitorOptions) {
    this.#o = options;
  }

  /** Starts checking (a no-op when already checking); checks stop by themselves when no worker is left. */
  watch(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#check(), this.#o.intervalMs);
    this.#timer.unref?.();
  }

  /** Stops checking. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const workers = new Set(this.#o.workers());
    if (workers.size === 0) {
      this.stop();
      return;
    }
    const { nc, subjects, timeoutMs } = this.#o;
    for (const worker of workers) {
      if (this.#checking.has(worker) || nc.isClosed()) continue;
      this.#checking.add(worker);
      nc.request(subjects.worker(worker), EMPTY, { timeout: timeoutMs })
        .then(
          () => undefined,
          (error: unknown) => {
            const gone = error instanceof RequestError && error.isNoResponders();
            this.#o.lost(
              worker,
              gone
                ? `worker ${worker} is gone (it crashed, was killed or closed)`
                : `worker ${worker} did not answer a liveness check within ${timeoutMs} ms`,
            );
          },
        )
        .finally(() => this.#checking.delete(worker));
    }
  }
}
