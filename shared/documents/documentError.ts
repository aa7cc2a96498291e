// The error a document conversion raises, with a typed code the tool layer turns into a recovery hint.

export type DocumentErrorCode =
  /** More than the format's caps unpack or arrive (a .docx inflating past its limit). */
  | 'too_large'
  /** Damaged, encrypted, or not the format its name says. */
  | 'unreadable'
  /** Needed more memory (or nesting) than one conversion is given. */
  | 'too_complex'
  /** Still converting when its time limit passed. */
  | 'conversion_timeout'
  /** Every worker busy and the queue full: nothing is held for it. */
  | 'busy'
  /** The request ended (its deadline passed, or the client went away) before the conversion did. */
  | 'cancelled';

export interface DocumentErrorOptions {
  cause?: unknown;
  /** Seconds worth waiting before trying again, for `busy`. */
  retryAfterSeconds?: number | undefined;
}

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly code: DocumentErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: DocumentErrorCode, message: string, options: DocumentErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
