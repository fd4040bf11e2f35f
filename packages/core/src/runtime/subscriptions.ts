/**
 * Subscriptions decide which agents receive a published message: each maps a matching topic to an agent id.
 */
import { ValidationError } from "../errors.js";
import { AgentId, type TopicIdLike, validateAgentType, validateTopicType } from "./ids.js";

/** A rule that maps matching topics to agent ids. */
export interface Subscription {
  /** A unique id, used by `removeSubscription`. */
  readonly id: string;
  /** Whether a message published to `topic` goes to this subscription's agent. */
  isMatch(topic: TopicIdLike): boolean;
  /** The agent that receives a message published to `topic` (only called when {@link isMatch} is true). */
  mapToAgent(topic: TopicIdLike): AgentId;
  /** Whether two subscriptions route the same way (so that adding one twice is a no-op). */
  equals(other: Subscription): boolean;
}

let nextSubscriptionId = 0;
function newSubscriptionId(): string {
  nextSubscriptionId += 1;
  return `sub-${nextSubscriptionId}`;
}

/**
 * Topics of one type go to agents of one type, the topic's source becoming the agent's key: every
 * conversation (source) gets its own agent instance.
 */
export class TypeSubscription implements Subscription {
  readonly id: string;
  readonly topicType: string;
  readonly agentType: string;

  constructor(options: { topicType: string; agentType: string; id?: string }) {
    this.topicType = validateTopicType(options.topicType);
    this.agentType = validateAgentType(options.agentType);
    this.id = options.id ?? newSubscriptionId();
  }

  isMatch(topic: TopicIdLike): boolean {
    return topic.type === this.topicType;
  }

  mapToAgent(topic: TopicIdLike): AgentId {
    if (!this.isMatch(topic))
      throw new ValidationError(`Topic type "${topic.type}" does not match "${this.topicType}"`);
    return new AgentId({ type: this.agentType, key: topic.source });
  }

  equals(other: Subscription): boolean {
    return (
      other instanceof TypeSubscription &&
      !(other instanceof TypePrefixSubscription) &&
      (other.id === this.id || (other.topicType === this.topicType && other.agentType === this.agentType))
    );
  }
}

/** Topics whose type starts with a prefix go to agents of one type, keyed by the topic's source. */
export class TypePrefixSubscription implements Subscription {
  readonly id: string;
  readonly topicTypePrefix: string;
  readonly agentType: string;

  constructor(options: { topicTypePrefix: string; agentType: string; id?: string }) {
    if (typeof options.topicTypePrefix !== "string" || options.topicTypePrefix.length === 0) {
      throw new ValidationError("A topic type prefix must be a non-empty string");
    }
    this.topicTypePrefix = options.topicTypePrefix;
    this.agentType = validateAgentType(options.agentType);
    this.id = options.id ?? newSubscriptionId();
  }

  isMatch(topic: TopicIdLike): boolean {
    return topic.type.startsWith(this.topicTypePrefix);
  }

  mapToAgent(topic: TopicIdLike): AgentId {
    if (!this.isMatch(topic)) {
      throw new ValidationError(`Topic type "${topic.type}" does not start with "${this.topicTypePrefix}"`);
    }
    return new AgentId({ type: this.agentType, key: topic.source });
  }

  equals(other: Subscription): boolean {
    return (
      other instanceof TypePrefixSubscription &&
      (other.id === this.id ||
        (other.topicTypePrefix === this.topicTypePrefix && other.agentType === this.agentType))
    );
  }
}

/** A {@link TypeSubscription} to the `"default"` topic type, for applications with one topic. */
export class DefaultSubscription extends TypeSubscription {
  constructor(options: { agentType: string; topicType?: string; id?: string }) {
    super({
      topicType: options.topicType ?? "default",
      agentType: options.agentType,
      ...(options.id ? { id: options.id } : {}),
    });
  }
}
