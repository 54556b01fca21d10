// Reads that a watching command repeats: an API that restarts, or answers 5xx while its store or a
// worker is busy, is asked again a few times before the command gives up.
import { ApiClientError } from './api-client';

/** Poll errors tolerated in a row. */
const TRANSIENT_ERRORS = 5;
const RETRY_MS = 1000;

export const isTransientApiError = (err: unknown): boolean =>
  err instanceof ApiClientError && (err.status === 0 || err.status >= 500);

/** `read()`, again after a transient failure, up to TRANSIENT_ERRORS times in a row. */
export async function readTolerating<T>(read: () => Promise<T>): Promise<T> {
  for (let errors = 0; ;) {
    try {
      return await read();
    } catch (err) {
      if (!isTransientApiError(err) || ++errors > TRANSIENT_ERRORS) throw err;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}
