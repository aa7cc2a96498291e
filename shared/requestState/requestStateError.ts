// The error a refused `requestState` raises, with a typed code for the audit row and the log (never for the wire:
// every refusal answers the client alike, so the answer tells a forger nothing).

export type RequestStateErrorCode =
  /** Not a state this server could have sealed: wrong shape, or a seal no key of ours made (tampered). */
  | 'state_invalid'
  /** Sealed by us, but older than its lifetime. */
  | 'state_expired'
  /** Sealed by us and live, but already used once (or its record is gone). */
  | 'state_replayed'
  /** Sealed for another tenant, user or client app. */
  | 'state_other_caller'
  /** Sealed for another tool or other arguments. */
  | 'state_other_call'
  /** Table Storage could not record or check its single use: refused, never let through. */
  | 'state_unverifiable';

export class RequestStateError extends Error {
  override readonly name = 'RequestStateError';
  readonly code: RequestStateErrorCode;

  constructor(code: RequestStateErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}
