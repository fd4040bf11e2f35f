/**
 * GenAI OpenTelemetry spans for agents, model calls and tool calls.
 */
export type { SpanScope } from "./genai.js";
export {
  modelName,
  recordChatResult,
  recordError,
  recordErrorType,
  runInContext,
  setUsage,
  startAgentSpan,
  startChatSpan,
  startToolSpan,
  TRACER_NAME,
  traceRun,
} from "./genai.js";
