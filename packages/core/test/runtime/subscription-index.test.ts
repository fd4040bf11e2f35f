import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors.js";
import { TopicId } from "../../src/runtime/ids.js";
import { SubscriptionIndex } from "../../src/runtime/subscription-index.js";
import { TypePrefixSubscription, TypeSubscription } from "../../src/runtime/subscriptions.js";

function recipients(index: SubscriptionIndex, topic: TopicId, sender?: { type: string; key: string }) {
  const out: string[] = [];
  index.forEachRecipient(topic, sender, (list: string[], type, key) => list.push(`${type}/${key}`), out);
  return out;
}

describe("SubscriptionIndex", () => {
  it("delivers once per agent across overlapping subscriptions, never to the sender", () => {
    const index = new SubscriptionIndex();
    expect(index.add(new TypeSubscription({ topicType: "chat", agentType: "a" }))).toBe(true);
    expect(index.add(new TypeSubscription({ topicType: "chat", agentType: "b" }))).toBe(true);
    expect(index.add(new TypePrefixSubscription({ topicTypePrefix: "ch", agentType: "a" }))).toBe(true);
    expect(index.add(new TypePrefixSubscription({ topicTypePrefix: "ch", agentType: "c" }))).toBe(true);
    const topic = new TopicId({ type: "chat", source: "s1" });
    expect(recipients(index, topic)).toEqual(["a/s1", "b/s1", "c/s1"]);
    expect(recipients(index, topic, { type: "b", key: "s1" })).toEqual(["a/s1", "c/s1"]);
    expect(recipients(index, new TopicId({ type: "other", source: "s" }))).toEqual([]);
  });

  it("ignores an equal subscription, refuses a taken id, and removes by id", () => {
    const index = new SubscriptionIndex();
    const sub = new TypeSubscription({ topicType: "chat", agentType: "a", id: "one" });
    index.add(sub);
    expect(index.add(new TypeSubscription({ topicType: "chat", agentType: "a" }))).toBe(false);
    expect(() => index.add(new TypeSubscription({ topicType: "x", agentType: "y", id: "one" }))).toThrow(
      ValidationError,
    );
    expect(index.size).toBe(1);
    expect(index.get("one")).toBe(sub);
    expect(index.remove("one")).toBe(sub);
    expect(recipients(index, new TopicId({ type: "chat", source: "s" }))).toEqual([]);
    expect(() => index.remove("one")).toThrow(/No subscription/);
    const prefix = new TypePrefixSubscription({ topicTypePrefix: "c", agentType: "a" });
    index.add(prefix);
    index.remove(prefix.id);
    expect(index.all).toEqual([]);
  });
});
