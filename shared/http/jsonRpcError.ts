// A JSON-RPC error object in an HTTP response: the shape every refusal of ours takes.
import type { HttpError } from './httpError.js';

export interface JsonRpcErrorResponseOptions {
  readonly status: number;
  readonly rpcCode: number;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly headers?: HeadersInit;
}

export function jsonRpcErrorResponse(options: JsonRpcErrorResponseOptions): Response {
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/json');
  const error = { code: options.rpcCode, message: options.message, ...(options.data !== undefined && { data: options.data }) };
  return new Response(JSON.stringify({ jsonrpc: '2.0', error, id: null }), { status: options.status, headers });
}

/** The answer an `HttpError` earns: its status, JSON-RPC code, message, typed code and headers. */
export function httpErrorResponse(error: HttpError): Response {
  return jsonRpcErrorResponse({ status: error.status, rpcCode: error.rpcCode, message: error.message, data: { code: error.code }, headers: error.headers });
}
