/**
 * The checkpoint document: a team's (or agent's) saved state with the definition it belongs to, and the
 * checks that run before it is restored: a document that is not one is `checkpoint_corrupt`, one from a
 * newer release is `checkpoint_format`, one from another definition is `definition_changed` (saying what
 * changed) unless a registered migration upgrades it.
 */
import { CheckpointError, type CheckpointRecord, type JsonValue } from "@autogen-ts/core";
import type { AgentState } from "../base/types.js";
import { type DefinitionDescriptor, definitionHash, describeChanges } from "./definition.js";

/**
 * The newest checkpoint document format this release reads. Version 1 holds a state; version 2 says its
 * state is another checkpoint's of the same thread (`stateOf`): what a run that continues a thread starts
 * from, so that starting a run on a long thread does not store the whole thread again. Full documents
 * are still written as version 1.
 */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** The format of a full checkpoint document (a state of its own). */
export const FULL_CHECKPOINT_FORMAT = 1;

/** What a checkpoint's `state` holds. */
export interface CheckpointDocument {
  /** The definition that wrote it. */
  readonly definition: DefinitionDescriptor;
  /** The team's (or agent's) `saveState()` document. */
  readonly state: AgentState;
  /** `start`: taken before the run's task was given (a resume gives the task again); `turn`, `end`. */
  readonly phase: "start" | "turn" | "end";
}

/**
 * Upgrades a checkpoint from one definition to another (an agent added, a tool renamed): returns the
 * state to load into the new definition.
 */
export interface CheckpointMigration {
  /** The hash of the definition the checkpoint came from. */
  readonly from: string;
  /** The hash of the definition it upgrades to (default: any). */
  readonly to?: string;
  migrate(
    state: AgentState,
    context: { from: DefinitionDescriptor; to: DefinitionDescriptor },
  ): AgentState | Promise<AgentState>;
}

function checkFormat(record: CheckpointRecord): void {
  if (record.formatVersion > CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      "checkpoint_format",
      `Checkpoint ${record.id} has format version ${record.formatVersion}, from a newer release; this release ` +
        `reads up to version ${CHECKPOINT_FORMAT_VERSION}`,
      { details: { checkpointId: record.id, formatVersion: record.formatVersion } },
    );
  }
}

/**
 * The checkpoint whose state a version-2 document borrows (undefined for a full document). Such a
 * document is always a run's start, and borrows from a full document written by the same definition.
 */
export function checkpointStateOf(record: CheckpointRecord): string | undefined {
  checkFormat(record);
  if (record.formatVersion !== 2) return undefined;
  const doc = record.state as Record<string, JsonValue> | null;
  if (typeof doc !== "object" || doc === null || doc.phase !== "start" || typeof doc.stateOf !== "string") {
    throw new CheckpointError(
      "checkpoint_corrupt",
      `Checkpoint ${record.id} is not a checkpoint document this release wrote`,
      { details: { checkpointId: record.id } },
    );
  }
  return doc.stateOf;
}

/** Reads and checks a stored full checkpoint document. */
export function readCheckpoint(record: CheckpointRecord): CheckpointDocument {
  checkFormat(record);
  const doc = (record.formatVersion === 2 ? null : record.state) as Record<string, JsonValue> | null;
  const definition = doc?.definition as unknown as DefinitionDescriptor | undefined;
  const state = doc?.state as unknown as AgentState | undefined;
  const ok =
    typeof doc === "object" &&
    doc !== null &&
    typeof definition?.name === "string" &&
    typeof definition?.class === "string" &&
    typeof state === "object" &&
    state !== null &&
    typeof state.type === "string" &&
    (doc.phase === "start" || doc.phase === "turn" || doc.phase === "end");
  if (!ok) {
    throw new CheckpointError(
      "checkpoint_corrupt",
      `Checkpoint ${record.id} is not a checkpoint document this release wrote`,
      {
        details: { checkpointId: record.id },
      },
    );
  }
  return {
    definition: definition as DefinitionDescriptor,
    state: state as AgentState,
    phase: doc.phase as CheckpointDocument["phase"],
  };
}

/**
 * The state to load into `current` from a checkpoint document: as is when the definitions match,
 * through a migration when one is registered, else a `definition_changed` error listing the changes.
 */
export async function stateFor(
  record: CheckpointRecord,
  doc: CheckpointDocument,
  current: DefinitionDescriptor,
  migrations: readonly CheckpointMigration[],
): Promise<AgentState> {
  const to = definitionHash(current);
  if (record.definitionHash === to) return doc.state;
  const migration = migrations.find(
    (m) => m.from === record.definitionHash && (m.to === undefined || m.to === to),
  );
  if (migration !== undefined) return migration.migrate(doc.state, { from: doc.definition, to: current });
  const changes = describeChanges(doc.definition, current);
  throw new CheckpointError(
    "definition_changed",
    `Checkpoint ${record.id} was written by a different definition: ${changes.join("; ") || "the definition differs"}. ` +
      `Register a migration from ${record.definitionHash} to ${to} to restore it`,
    { details: { checkpointId: record.id, from: record.definitionHash, to, changes } },
  );
}
