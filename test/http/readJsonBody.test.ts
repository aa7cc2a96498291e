// The request body is counted as it streams in, whatever its Content-Length header says.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../shared/http/httpError.js';
import { readJsonBody } from '../../shared/http/readJsonBody.js';

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(65536, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'read';
  } catch (error) {
    if (error instanceof HttpError) return error.code;
    throw error;
  }
}

describe('readJsonBody', () => {
  it('a stream longer than its declared Content-Length is still cut at the cap: body_too_large', async () => {
    const request = new Request('http://localhost/mcp', { method: 'POST', headers: { 'content-length': '2' }, body: streamOf(2 * 1024 * 1024), duplex: 'half' } as RequestInit);
    expect(await codeOf(readJsonBody(request))).toBe('body_too_large');
  });

  it('a declared length over the cap is refused before reading', async () => {
    const request = new Request('http://localhost/mcp', { method: 'POST', headers: { 'content-length': String(1024 * 1024 + 1) }, body: '{}' });
    expect(await codeOf(readJsonBody(request))).toBe('body_too_large');
    expect(request.bodyUsed).toBe(false);
  });
});
