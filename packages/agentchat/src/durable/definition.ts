/**
 * What a checkpoint is tied to: a description of the team (or agent) that wrote it, its hash, and the
 * differences between two descriptions in words ("participant 'critic' was added"). A checkpoint
 * restores only into the definition it came from, unless a migration says how.
 */
import type { JsonValue } from "@autogen-ts/core";
import type { ChatAgent } from "../base/types.js";
import { isTeam, type Participant, type Team } from "../teams/team.js";

/** The parts of a team or agent that its saved state depends on. */
export interface DefinitionDescriptor {
  readonly kind: "team" | "agent";
  /** The class (`RoundRobinGroupChat`, `AssistantAgent`). */
  readonly class: string;
  readonly name: string;
  /** A team's participants, in order. */
  readonly participants?: readonly DefinitionDescriptor[];
  /** An agent's tool and handoff names, sorted. */
  readonly tools?: readonly string[];
  readonly maxTurns?: number;
}

function toolNames(agent: ChatAgent): string[] {
  const options = (
    agent as {
      options?: {
        tools?: readonly { name: string }[];
        handoffs?: readonly { name?: string; target?: string }[];
      };
    }
  ).options;
  const names = (options?.tools ?? []).map((t) => t.name);
  for (const h of options?.handoffs ?? []) names.push(`handoff:${h.target ?? h.name ?? ""}`);
  return names.sort();
}

/** Describes a team (recursively) or an agent. */
export function describeDefinition(runner: Participant): DefinitionDescriptor {
  if (isTeam(runner)) {
    const team = runner as Team & { participants?: readonly Participant[]; maxTurns?: number };
    return {
      kind: "team",
      class: team.constructor.name,
      name: team.name,
      participants: (team.participants ?? []).map(describeDefinition),
      ...(team.maxTurns === undefined ? {} : { maxTurns: team.maxTurns }),
    };
  }
  const agent = runner as ChatAgent;
  return { kind: "agent", class: agent.constructor.name, name: agent.name, tools: toolNames(agent) };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A stable hash of a descriptor (FNV-1a, 64 bits, hex): equal for equal definitions in any process. */
export function definitionHash(descriptor: DefinitionDescriptor): string {
  const text = canonical(descriptor);
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, "0");
}

/** The differences between the definition a checkpoint came from and the current one, in words. */
export function describeChanges(
  before: DefinitionDescriptor,
  after: DefinitionDescriptor,
  path = "",
): string[] {
  const where = path === "" ? `'${after.name}'` : `'${path}/${after.name}'`;
  const changes: string[] = [];
  if (before.kind !== after.kind || before.class !== after.class) {
    changes.push(`${where} is now a ${after.class} (was a ${before.class})`);
    return changes;
  }
  if (before.name !== after.name) changes.push(`'${before.name}' is now named '${after.name}'`);
  if (before.maxTurns !== after.maxTurns) {
    changes.push(`${where} maxTurns is ${after.maxTurns ?? "unset"} (was ${before.maxTurns ?? "unset"})`);
  }
  const beforeTools = new Set(before.tools ?? []);
  const afterTools = new Set(after.tools ?? []);
  const added = [...afterTools].filter((t) => !beforeTools.has(t));
  const removed = [...beforeTools].filter((t) => !afterTools.has(t));
  if (added.length > 0) changes.push(`${where} has new tools: ${added.join(", ")}`);
  if (removed.length > 0) changes.push(`${where} no longer has tools: ${removed.join(", ")}`);
  const inner = path === "" ? after.name : `${path}/${after.name}`;
  const beforeParts = new Map((before.participants ?? []).map((p) => [p.name, p]));
  const afterParts = new Map((after.participants ?? []).map((p) => [p.name, p]));
  for (const [name, p] of afterParts) {
    const old = beforeParts.get(name);
    if (old === undefined) changes.push(`participant '${name}' was added to '${inner}'`);
    else changes.push(...describeChanges(old, p, inner));
  }
  for (const name of beforeParts.keys()) {
    if (!afterParts.has(name)) changes.push(`participant '${name}' was removed from '${inner}'`);
  }
  const order = (list: readonly DefinitionDescriptor[] | undefined) =>
    (list ?? []).map((p) => p.name).join(",");
  if (changes.length === 0 && order(before.participants) !== order(after.participants)) {
    changes.push(`the participants of '${inner}' are in a different order`);
  }
  return changes;
}

/** A descriptor as JSON, for storing in a checkpoint. */
export function descriptorJson(descriptor: DefinitionDescriptor): JsonValue {
  return JSON.parse(JSON.stringify(descriptor)) as JsonValue;
}
