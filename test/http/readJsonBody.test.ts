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

  it('a body in many chunks, a character split between two of them, reads whole; so does one after another', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ subject: 'Grüße 🎉' }));
    const chunked = () => new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < bytes.length; index += 3) controller.enqueue(bytes.slice(index, index + 3));
        controller.close();
      },
    });
    for (let round = 0; round < 2; round++) {
      const request = new Request('http://localhost/mcp', { method: 'POST', body: chunked(), duplex: 'half' } as RequestInit);
      expect(await readJsonBody(request)).toEqual({ subject: 'Grüße 🎉' });
    }
  });

  it('a leading byte order mark is dropped, and invalid UTF-8 becomes U+FFFD, never an error of the decoder', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]);
    expect(await readJsonBody(new Request('http://localhost/mcp', { method: 'POST', body: withBom }))).toEqual({ a: 1 });
    const invalid = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(await readJsonBody(new Request('http://localhost/mcp', { method: 'POST', body: invalid }))).toEqual({ a: '\ufffd' });
  });
});
