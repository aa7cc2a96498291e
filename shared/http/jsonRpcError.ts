// A JSON-RPC error object in an HTTP response: the shape every refusal of ours takes.
import type { HttpError } from './httpError.js';

export interface JsonRpcErrorResponseOptions {
  readonly status: number;
  readonly rpcCode: number;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly headers?: HeadersInit;
  /** The id of the request refused, when it is known (the body was read and held one request); else null. */
  readonly id?: string | number | null;
}

export function jsonRpcErrorResponse(options: JsonRpcErrorResponseOptions): Response {
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/json');
  const error = { code: options.rpcCode, message: options.message, ...(options.data !== undefined && { data: options.data }) };
  return new Response(JSON.stringify({ jsonrpc: '2.0', error, id: options.id ?? null }), { status: options.status, headers });
}

/** The answer an `HttpError` earns: its status, JSON-RPC code, message, typed code and headers, for request `id`. */
export function httpErrorResponse(error: HttpError, id: string | number | null = null): Response {
  return jsonRpcErrorResponse({ status: error.status, rpcCode: error.rpcCode, message: error.message, data: { code: error.code }, headers: error.headers, id });
}
