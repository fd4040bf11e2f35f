/**
 * `SubscriptionIndex`: a runtime's subscriptions, indexed for delivery (AutoGen's runtimes share one
 * subscription manager the same way). `TypeSubscription`s are found by topic type in one map lookup;
 * other kinds are matched one by one. Every runtime uses it, so they agree on ids, equality and on
 * delivering a message once per agent when subscriptions overlap.
 */
import { ValidationError } from "../errors.js";
import type { AgentIdLike, TopicIdLike } from "./ids.js";
import { type Subscription, TypeSubscription } from "./subscriptions.js";

/** A runtime's subscriptions, by id and by topic type. */
export class SubscriptionIndex {
  readonly #byId = new Map<string, Subscription>();
  readonly #byTopicType = new Map<string, TypeSubscription[]>();
  readonly #others: Subscription[] = [];

  /**
   * Adds a subscription. Returns false (and changes nothing) when an equal one is already there; throws
   * a `ValidationError` when another subscription has its id.
   */
  add(subscription: Subscription): boolean {
    if (this.#byId.has(subscription.id)) {
      throw new ValidationError(`A subscription with id "${subscription.id}" already exists`);
    }
    for (const existing of this.#byId.values()) if (existing.equals(subscription)) return false;
    this.#byId.set(subscription.id, subscription);
    if (subscription instanceof TypeSubscription) {
      const list = this.#byTopicType.get(subscription.topicType);
      if (list) list.push(subscription);
      else this.#byTopicType.set(subscription.topicType, [subscription]);
    } else {
      this.#others.push(subscription);
    }
    return true;
  }

  /** Removes a subscription by id and returns it; throws a `ValidationError` for an unknown id. */
  remove(id: string): Subscription {
    const subscription = this.#byId.get(id);
    if (!subscription) throw new ValidationError(`No subscription with id "${id}"`);
    this.#byId.delete(id);
    if (subscription instanceof TypeSubscription) {
      const rest = (this.#byTopicType.get(subscription.topicType) ?? []).filter((s) => s !== subscription);
      if (rest.length > 0) this.#byTopicType.set(subscription.topicType, rest);
      else this.#byTopicType.delete(subscription.topicType);
    } else {
      this.#others.splice(this.#others.indexOf(subscription), 1);
    }
    return subscription;
  }

  /** The subscription with this id, if any. */
  get(id: string): Subscription | undefined {
    return this.#byId.get(id);
  }

  /** Every subscription, in the order added. */
  get all(): Subscription[] {
    return [...this.#byId.values()];
  }

  /** How many subscriptions there are. */
  get size(): number {
    return this.#byId.size;
  }

  /**
   * Calls `deliver(arg, type, key)` once for every agent subscribed to `topic` except `sender`: type
   * subscriptions first in the order added, then the others. Passing `arg` through (rather than a
   * closure) keeps the per-message path free of allocations.
   */
  forEachRecipient<T>(
    topic: TopicIdLike,
    sender: AgentIdLike | undefined,
    deliver: (arg: T, type: string, key: string) => void,
    arg: T,
  ): void {
    const typeSubs = this.#byTopicType.get(topic.type);
    const key = topic.source;
    if (typeSubs !== undefined) {
      for (let i = 0; i < typeSubs.length; i++) {
        const agentType = (typeSubs[i] as TypeSubscription).agentType;
        if (sender !== undefined && sender.type === agentType && sender.key === key) continue;
        deliver(arg, agentType, key);
      }
    }
    if (this.#others.length === 0) return;
    let delivered: Set<string> | undefined;
    for (const sub of this.#others) {
      if (!sub.isMatch(topic)) continue;
      const id = sub.mapToAgent(topic);
      if (sender !== undefined && sender.type === id.type && sender.key === id.key) continue;
      // A prefix or custom subscription may overlap a type subscription: deliver once per agent.
      if (delivered === undefined) {
        delivered = new Set();
        for (const s of typeSubs ?? []) delivered.add(`${s.agentType}/${key}`);
      }
      const slot = `${id.type}/${id.key}`;
      if (delivered.has(slot)) continue;
      delivered.add(slot);
      deliver(arg, id.type, id.key);
    }
  }
}
