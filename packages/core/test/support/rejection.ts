/** The error a promise rejects with, typed loosely for assertions; fails when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; cause?: any }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; cause?: any };
  }
  throw new Error("expected the promise to reject, but it resolved");
}
