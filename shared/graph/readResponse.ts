// Reads a Graph answer under a byte cap while it streams in, and turns an error answer into a short GraphError.
import { codeForStatus, GraphError } from './graphError.js';

/** JSON answers: pages with `$select` are tens of KiB; a message with its whole body can be a few MiB. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** Graph's error answers are a few hundred bytes; the rest of a longer one is never read. */
export const MAX_ERROR_BYTES = 64 * 1024;

const IDENTIFIER_CHARS = 100;

function tooLarge(maxBytes: number): GraphError {
  return new GraphError('too_large', `The answer from Microsoft Graph is larger than ${maxBytes} bytes`);
}

/**
 * The body of `response`, counted while it arrives: refused as soon as `Content-Length` or the bytes
 * actually read pass `maxBytes` (a declared length can lie either way). Throws `GraphError` `too_large`;
 * a body that breaks off rejects with the transport's error.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, total) : Buffer.concat(chunks, total);
}

/**
 * A JSON answer (undefined for 204, and for a 202 with no body). Throws `GraphError` `too_large` over
 * `maxBytes`, `upstream_invalid` when not a JSON object or empty with any other status.
 */
export async function readJson<T>(response: Response, maxBytes = MAX_JSON_BYTES): Promise<T> {
  if (response.status === 204) {
    await response.body?.cancel().catch(() => undefined);
    return undefined as T;
  }
  const bytes = await readCapped(response, maxBytes);
  if (bytes.length === 0) {
    // Graph's actions answer 202 Accepted with nothing; everything else it answers has a JSON body the tools read.
    if (response.status === 202) return undefined as T;
    throw new GraphError('upstream_invalid', `Microsoft Graph answered ${response.status} with an empty body`, { status: response.status });
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new GraphError('upstream_invalid', 'Microsoft Graph answered with malformed JSON', { cause, status: response.status });
  }
  // Graph's JSON answers are objects; tools read properties of them.
  if (typeof value !== 'object' || value === null) throw new GraphError('upstream_invalid', 'Microsoft Graph answered with JSON that is not an object', { status: response.status });
  return value as T;
}

export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

interface GraphErrorBody {
  readonly error?: { readonly code?: unknown; readonly message?: unknown; readonly innerError?: { readonly 'request-id'?: unknown; readonly code?: unknown } };
}

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, IDENTIFIER_CHARS) : undefined;
}

/**
 * The `GraphError` for a non-2xx answer: code from the status, Graph's own message (cut), code and
 * request id. At most `MAX_ERROR_BYTES` of the body are read; a longer or unreadable one gives a message
 * naming the status only.
 */
export async function errorFromResponse(response: Response): Promise<GraphError> {
  let body: GraphErrorBody | undefined;
  try {
    body = JSON.parse((await readCapped(response, MAX_ERROR_BYTES)).toString('utf8')) as GraphErrorBody;
  } catch {
    body = undefined;
  }
  const error = typeof body === 'object' && body !== null ? body.error : undefined;
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : `Microsoft Graph answered ${response.status}`;
  return new GraphError(codeForStatus(response.status), message, {
    status: response.status,
    retryAfterSeconds: retryAfterSeconds(response.headers),
    requestId: identifier(error?.innerError?.['request-id']) ?? identifier(response.headers.get('request-id')),
    graphCode: identifier(error?.code),
    innerCode: identifier(error?.innerError?.code),
  });
}
