// The error a request that breaks the transport's rules raises, with the status and JSON-RPC code it earns.

export type HttpErrorCode =
  | 'not_found'
  | 'request_target_invalid'
  | 'method_not_allowed'
  | 'host_invalid'
  | 'host_not_allowed'
  | 'origin_not_allowed'
  | 'not_acceptable'
  | 'unsupported_media_type'
  | 'body_too_large'
  | 'parse_error'
  | 'invalid_request'
  | 'batch_not_supported'
  | 'batch_too_large'
  | 'protocol_version_unsupported'
  | 'session_not_found'
  | 'rate_limited'
  | 'too_many_refusals'
  | 'request_aborted'
  | 'request_timeout';

const STATUS: Record<HttpErrorCode, number> = {
  not_found: 404,
  request_target_invalid: 400,
  method_not_allowed: 405,
  host_invalid: 400,
  host_not_allowed: 403,
  origin_not_allowed: 403,
  not_acceptable: 406,
  unsupported_media_type: 415,
  body_too_large: 413,
  parse_error: 400,
  invalid_request: 400,
  batch_not_supported: 400,
  batch_too_large: 400,
  protocol_version_unsupported: 400,
  // A session of a deployment that kept them: the 2025 transport's answer that makes a client initialize again.
  session_not_found: 404,
  rate_limited: 429,
  too_many_refusals: 429,
  // Nobody reads it (the client is gone); it only keeps the refusal typed.
  request_aborted: 400,
  request_timeout: 504,
};

/** JSON-RPC codes: -32700 parse error, -32600 invalid request, -32000 transport-level refusals. */
const RPC_CODE: Partial<Record<HttpErrorCode, number>> = {
  parse_error: -32700,
  invalid_request: -32600,
  batch_not_supported: -32600,
  batch_too_large: -32600,
  session_not_found: -32001,
  // The MCP SDK's RequestTimeout.
  request_timeout: -32001,
};

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly code: HttpErrorCode;
  readonly status: number;
  readonly rpcCode: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: HttpErrorCode, message: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.rpcCode = RPC_CODE[code] ?? -32000;
    this.headers = options.headers ?? {};
  }
}
