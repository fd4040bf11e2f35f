/** What a rejection is read as in assertions: loosely typed, so tests can look into `cause` and `details`. */
// biome-ignore lint/suspicious/noExplicitAny: assertions reach into arbitrary causes.
export type Rejection = Error & { code?: string; cause?: any; details?: any };

/** The error a promise rejects with; fails when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
