/**
 * Durable runs: a team or agent run kept in a run store, checkpointed after every turn, its model and
 * tool calls in a ledger, resumable in any process, with human input that can wait.
 */
export { APPROVAL_SCHEMA, approvalFromAnswer } from "./approval.js";
export type { CheckpointDocument, CheckpointMigration } from "./checkpoint.js";
export { CHECKPOINT_FORMAT_VERSION, readCheckpoint } from "./checkpoint.js";
export type { DefinitionDescriptor } from "./definition.js";
export { definitionHash, describeChanges, describeDefinition } from "./definition.js";
export { findInputRequired, InputRequiredError } from "./errors.js";
export type { JournalEntry, JournalOptions, RunJournal } from "./journal.js";
export { createJournal } from "./journal.js";
export type { DurableRunResult } from "./run.js";
export { DurableRun, isDurableRunResult } from "./run.js";
export type { DurableResumeOptions, DurableRunnerOptions, DurableRunOptions } from "./runner.js";
export { DurableRunner } from "./runner.js";
