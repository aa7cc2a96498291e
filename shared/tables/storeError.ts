// The error a Table Storage operation raises, with a typed code; callers decide to fail open or closed.
import { restErrorStatus } from './tablesSdk.js';

export type StoreErrorCode = 'unavailable' | 'conflict' | 'not_found';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** Maps a Table Storage failure (Azurite's `RestError.code` is undefined: branch on the status). */
export function toStoreError(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const status = restErrorStatus(error);
  if (status === 404) return new StoreError('not_found', `${what}: not found`, { cause: error });
  if (status === 409 || status === 412) return new StoreError('conflict', `${what}: changed meanwhile`, { cause: error });
  return new StoreError('unavailable', `${what}: Table Storage unavailable`, { cause: error });
}
