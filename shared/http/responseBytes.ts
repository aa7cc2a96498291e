// The whole body of an answer, as the hosts send it (with its length): in hand before anything is written.

/**
 * The bytes of `response`'s body; undefined when it has none. A body made from a string or from bytes arrives as one
 * chunk, which is returned as it is; several are joined once. `Response.arrayBuffer()` would copy every body twice
 * (joining the chunks, then into a fresh ArrayBuffer): for a tools/list answer, 100 KB more of fresh memory per
 * request, which under load the allocator was seen to give back and the kernel to fault in again, page by page.
 */
export async function responseBytes(response: Response): Promise<Uint8Array | undefined> {
  if (response.body === null) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A fetch body is bytes; anything else is a bug upstream, and answering it would send garbage.
    if (!(value instanceof Uint8Array)) throw new TypeError('a response body chunk is not bytes');
    chunks.push(value);
    size += value.byteLength;
  }
  if (chunks.length === 1) return chunks[0];
  return Buffer.concat(chunks, size);
}
