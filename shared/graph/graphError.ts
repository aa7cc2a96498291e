// The error a Microsoft Graph call raises, with a typed code the tool layer turns into a recovery hint.
import { cutText } from './cutText.js';

export type GraphErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'throttled'
  | 'unavailable'
  | 'cursor_invalid'
  /** Graph redirected somewhere the token or the request must not follow: not https, malformed, a write, too many hops. */
  | 'redirect_refused'
  /** Graph answered something that is not what it documents (malformed JSON, a redirect without a target). */
  | 'upstream_invalid';

/** Messages carry text from Graph (its error messages, item names): what reaches a tool result is cut to this. */
export const MAX_GRAPH_MESSAGE_CHARS = 500;

export interface GraphErrorOptions {
  cause?: unknown;
  status?: number | undefined;
  /** Seconds Graph asked us to wait (Retry-After), for `throttled` and `unavailable`. */
  retryAfterSeconds?: number | undefined;
  /** Graph's `request-id`, for support requests. */
  requestId?: string | undefined;
  /** Graph's own error code, e.g. `ErrorItemNotFound`. */
  graphCode?: string | undefined;
  /** The code inside Graph's `innerError`, where a service says more than its error code (`GraphAccessToTranscriptsDisabled`). */
  innerCode?: string | undefined;
}

export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly code: GraphErrorCode;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;
  readonly graphCode: string | undefined;
  readonly innerCode: string | undefined;

  constructor(code: GraphErrorCode, message: string, options: GraphErrorOptions = {}) {
    super(cutText(message, MAX_GRAPH_MESSAGE_CHARS), { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.requestId = options.requestId;
    this.graphCode = options.graphCode;
    this.innerCode = options.innerCode;
  }
}

export function codeForStatus(status: number): GraphErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}
