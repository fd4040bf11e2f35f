/**
 * Exit codes of `autogen-ts`, for scripts:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success (`validate`: the document is valid) |
 * | 1 | the run failed (a model or tool error ended it) |
 * | 2 | usage or config error (bad arguments, an unreadable or invalid document, a missing environment variable) |
 * | 3 | internal error (a bug: please report it, with `--verbose` output) |
 * | 4 | waiting for input: a run with `--store` parked a request (answer it with `resume <id> --input "..."`) |
 * | 5 | below threshold: `eval run` / `eval score` measured a pass rate under `--threshold` |
 * | 130 | interrupted (Ctrl-C) |
 */
export const EXIT = {
  ok: 0,
  runFailed: 1,
  config: 2,
  internal: 3,
  waitingForInput: 4,
  belowThreshold: 5,
  interrupted: 130,
} as const;
