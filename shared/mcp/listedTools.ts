// A 2026-07-28 tools/list answer with its tools written once: the SDK serialises the envelope around a stand-in,
// and the bytes of the caller's list, encoded once per distinct list, take the stand-in's place.
import { randomUUID } from 'node:crypto';
import type { ToolCatalog } from '../tools/catalog.js';

// Unguessable, so nothing a caller wrote (the request id is the only text of theirs in the answer) can equal it;
// JSON.stringify writes it as "\u0000…", which no serialised text holds but a serialised string.
const MARK = `\u0000listed tools ${randomUUID()}`;
const MARK_BYTES = Buffer.from(`[${JSON.stringify(MARK)}]`, 'utf8');

/** What the tools/list handler hands the SDK in place of the tools, whose bytes are spliced in afterwards. */
export const TOOLS_STAND_IN: readonly string[] = Object.freeze([MARK]);

// The catalog's answers are frozen and kept (a bounded number of them), so their bytes can be kept with them.
const encoded = new WeakMap<object, Buffer>();

/** The UTF-8 JSON of a tools array the catalog handed out, encoded the first time; undefined for any other value. */
export function listedToolsBytes(tools: unknown, catalog: ToolCatalog): Buffer | undefined {
  if (typeof tools !== 'object' || tools === null) return undefined;
  let bytes = encoded.get(tools);
  if (bytes === undefined) {
    const text = catalog.listedJson(tools);
    if (text === undefined) return undefined;
    bytes = Buffer.from(text, 'utf8');
    encoded.set(tools, bytes);
  }
  return bytes;
}

/**
 * The SDK's answer with the stand-in replaced by `tools` (the JSON of the tools array). The answer is JSON or, had
 * the SDK chosen a stream, one SSE event whose data line is JSON: the stand-in sits on one line either way, and the
 * catalog's text holds no line break, so both stay well formed. The result comes before the id in the SDK's
 * envelope; the first stand-in is the result's.
 */
export async function spliceListedTools(answer: Response, tools: Buffer): Promise<Response> {
  const bytes = Buffer.from(await answer.arrayBuffer());
  const at = bytes.indexOf(MARK_BYTES);
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  const body = at < 0 ? bytes : Buffer.concat([bytes.subarray(0, at), tools, bytes.subarray(at + MARK_BYTES.length)]);
  return new Response(body, { status: answer.status, statusText: answer.statusText, headers });
}
