// The hosts take an answer's body whole before sending it with its length: one chunk as it came, several joined once.
import { describe, expect, it } from 'vitest';
import { responseBytes } from '../../shared/http/responseBytes.js';

function streamOf(chunks: readonly unknown[]): ReadableStream<Uint8Array> {
  const queue = [...chunks];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (queue.length === 0) return controller.close();
      controller.enqueue(queue.shift() as Uint8Array);
    },
  });
}

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));

describe('responseBytes', () => {
  it('hands back a body of one chunk as that very chunk, not a copy of it', async () => {
    const chunk = new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"result":{}}');
    expect(await responseBytes(new Response(streamOf([chunk])))).toBe(chunk);
  });

  it('joins a body of several chunks, in order', async () => {
    const encoder = new TextEncoder();
    const bytes = await responseBytes(new Response(streamOf([encoder.encode('event: message\n'), encoder.encode('data: {}\n\n')])));
    expect(text(bytes)).toBe('event: message\ndata: {}\n\n');
  });

  it('reads a body made from a string, UTF-8 encoded', async () => {
    expect(text(await responseBytes(new Response('{"name":"Zoë"}')))).toBe('{"name":"Zoë"}');
  });

  it('has no bytes for a response without a body, and none for an empty one', async () => {
    expect(await responseBytes(new Response(null, { status: 202 }))).toBeUndefined();
    expect((await responseBytes(new Response('')))?.byteLength ?? 0).toBe(0);
  });

  it('refuses a chunk that is not bytes rather than send it', async () => {
    await expect(responseBytes(new Response(streamOf(['not bytes'])))).rejects.toThrow(TypeError);
  });
});
