/**
 * Addresses in the runtime: agent ids, agent types and topic ids, with AutoGen's naming rules.
 */
import { ValidationError } from "../errors.js";

const AGENT_TYPE_PATTERN = /^[\w\-.]+$/;
const TOPIC_TYPE_PATTERN = /^[\w\-.:=]+$/;

// Types are few and reused constantly: remember the valid ones so the message path skips the regex.
const validAgentTypes = new Set<string>();
const validTopicTypes = new Set<string>();
const MAX_REMEMBERED = 4096;

function remember(set: Set<string>, value: string): void {
  if (set.size >= MAX_REMEMBERED) set.clear();
  set.add(value);
}

/** Throws a {@link ValidationError} unless `type` is a valid agent type (letters, digits, `_`, `-`, `.`). */
export function validateAgentType(type: string): string {
  if (validAgentTypes.has(type)) return type;
  if (typeof type !== "string" || !AGENT_TYPE_PATTERN.test(type)) {
    throw new ValidationError(
      `Invalid agent type ${JSON.stringify(type)}: use only letters, digits, "_", "-" and "." (for example "writer" or "team.critic")`,
    );
  }
  remember(validAgentTypes, type);
  return type;
}

/** Throws a {@link ValidationError} unless `type` is a valid topic type (agent-type characters plus `:` and `=`). */
export function validateTopicType(type: string): string {
  if (validTopicTypes.has(type)) return type;
  if (typeof type !== "string" || !TOPIC_TYPE_PATTERN.test(type)) {
    throw new ValidationError(
      `Invalid topic type ${JSON.stringify(type)}: use only letters, digits, "_", "-", ".", ":" and "="`,
    );
  }
  remember(validTopicTypes, type);
  return type;
}

/** Anything with an agent `type` and `key`: an {@link AgentId} or a plain object. */
export interface AgentIdLike {
  readonly type: string;
  readonly key: string;
}

/**
 * The address of one agent instance: its type (which factory makes it) and its key (which instance).
 * Agents of one type with different keys are independent instances, created lazily on first message.
 */
export class AgentId implements AgentIdLike {
  readonly type: string;
  readonly key: string;

  constructor(options: { type: string | AgentType; key?: string }) {
    this.type = validateAgentType(typeof options.type === "string" ? options.type : options.type.type);
    this.key = options.key ?? "default";
  }

  /** Makes an id from `{type, key}` (validated), or returns an {@link AgentId} as it is. */
  static from(id: AgentIdLike): AgentId {
    return id instanceof AgentId ? id : new AgentId(id);
  }

  /** The id an agent type, a type name or an id stands for (`key`, default `"default"`, for a type). */
  static resolve(idOrType: AgentIdLike | AgentType | string, key = "default"): AgentId {
    if (typeof idOrType === "string") return new AgentId({ type: idOrType, key });
    return "key" in idOrType ? AgentId.from(idOrType) : new AgentId({ type: idOrType.type, key });
  }

  /** Parses the `type/key` form (the key may itself contain `/`). */
  static parse(value: string): AgentId {
    const slash = value.indexOf("/");
    if (slash <= 0)
      throw new ValidationError(`Invalid agent id ${JSON.stringify(value)}: expected "type/key"`);
    return new AgentId({ type: value.slice(0, slash), key: value.slice(slash + 1) });
  }

  /** True when both ids name the same agent. */
  static equals(a: AgentIdLike | undefined, b: AgentIdLike | undefined): boolean {
    return a !== undefined && b !== undefined && a.type === b.type && a.key === b.key;
  }

  /** The `type/key` form. */
  toString(): string {
    return `${this.type}/${this.key}`;
  }

  /** JSON as `{type, key}`. */
  toJSON(): AgentIdLike {
    return { type: this.type, key: this.key };
  }
}

/** A registered agent type, as returned by `registerFactory`. */
export interface AgentType {
  readonly type: string;
}

/** What the runtime knows about an agent. */
export interface AgentMetadata {
  readonly type: string;
  readonly key: string;
  readonly description: string;
}

/** Anything with a topic `type` and `source`: a {@link TopicId} or a plain object. */
export interface TopicIdLike {
  readonly type: string;
  readonly source: string;
}

/**
 * The address of a publish: a topic type (what kind of event) and a source (which context, such as a
 * conversation id), following the CloudEvents convention. Subscriptions map topics to agent ids.
 */
export class TopicId implements TopicIdLike {
  readonly type: string;
  readonly source: string;

  constructor(options: { type: string; source: string }) {
    this.type = validateTopicType(options.type);
    this.source = options.source;
  }

  /** Makes a topic id from `{type, source}` (validated), or returns a {@link TopicId} as it is. */
  static from(id: TopicIdLike): TopicId {
    return id instanceof TopicId ? id : new TopicId(id);
  }

  /** Parses the `type/source` form. */
  static parse(value: string): TopicId {
    const slash = value.indexOf("/");
    if (slash <= 0)
      throw new ValidationError(`Invalid topic id ${JSON.stringify(value)}: expected "type/source"`);
    return new TopicId({ type: value.slice(0, slash), source: value.slice(slash + 1) });
  }

  /** The `type/source` form. */
  toString(): string {
    return `${this.type}/${this.source}`;
  }

  /** JSON as `{type, source}`. */
  toJSON(): TopicIdLike {
    return { type: this.type, source: this.source };
  }
}

/**
 * The default topic: type `"default"`, source `"default"` unless given. Pairs with `DefaultSubscription`
 * for applications that need only one topic.
 */
export class DefaultTopicId extends TopicId {
  constructor(options: { type?: string; source?: string } = {}) {
    super({ type: options.type ?? "default", source: options.source ?? "default" });
  }
}
