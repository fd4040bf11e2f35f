/**
 * Magentic-One: a team led by an orchestrator that plans, tracks progress and re-plans.
 */
export type { LedgerReading, ProgressLedger } from "./ledger.js";
export { progressLedgerSchema, readProgressLedger } from "./ledger.js";
export type { MagenticOneGroupChatOptions } from "./magentic-one-group-chat.js";
export { MagenticOneGroupChat } from "./magentic-one-group-chat.js";
export type { MagenticOneOrchestratorOptions } from "./orchestrator.js";
export { MagenticOneOrchestrator } from "./orchestrator.js";
