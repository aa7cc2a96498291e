// Reads a request body with a size cap and parses it as JSON, failing with precise HTTP errors.
import { HttpError } from './httpError.js';

export const MAX_BODY_BYTES = 1024 * 1024;

// Stateless between calls (no `stream` option), so one serves every request; a leading BOM is dropped, as JSON allows.
const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Throws `HttpError` `body_too_large` (before reading when Content-Length says so, else as soon as the
 * count passes the cap), `request_aborted` (the stream broke off) or `parse_error`.
 */
export async function readJsonBody(request: Request, maxBytes: number = MAX_BODY_BYTES): Promise<unknown> {
  const tooLarge = () => new HttpError('body_too_large', `The request body is larger than ${maxBytes} bytes`);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (request.body === null) throw new HttpError('parse_error', 'Parse error: the request body is empty');
  // Counted even under a declared length: a stream handed over by a host need not match its header.
  const text = await readCapped(request.body, maxBytes, tooLarge);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new HttpError('parse_error', 'Parse error: the request body is not valid JSON', { cause });
  }
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number, tooLarge: () => HttpError): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (cause) {
      // The client went away mid-upload (or the host cut the stream): its doing, not a failure of ours.
      throw new HttpError('request_aborted', 'The request body ended before it was complete', { cause });
    }
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  // A small body arrives as one chunk: decoded where it lies, not copied first.
  return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}
