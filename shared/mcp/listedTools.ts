// A tools/list answer with its tools written once: the envelope is serialised around a stand-in (by the SDK on
// 2026-07-28, by the 2025 leg itself), and the bytes of the caller's list, encoded once per distinct list, take the
// stand-in's place.
import { randomUUID } from 'node:crypto';
import type { ToolCatalog } from '../tools/catalog.js';

// Unguessable, so nothing a caller or Graph wrote (a request id, a tool's result beside the list in a 2025 batch) can
// equal it; JSON.stringify writes it as "\u0000…", which no serialised text holds but a serialised string.
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
 * `answer` with every stand-in replaced by `tools` (the JSON of the tools array): a 2025 batch may hold several
 * tools/list answers, all of one caller's list. The answer is JSON or, had the SDK chosen a stream, SSE events
 * whose data lines are JSON: a stand-in sits on one line either way, and the catalog's text holds no line break,
 * so both stay well formed.
 */
export function spliceTools(answer: Buffer<ArrayBuffer>, tools: Uint8Array): Buffer<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let at = answer.indexOf(MARK_BYTES); at >= 0; at = answer.indexOf(MARK_BYTES, from)) {
    parts.push(answer.subarray(from, at), tools);
    from = at + MARK_BYTES.length;
  }
  if (from === 0) return answer;
  parts.push(answer.subarray(from));
  return Buffer.concat(parts);
}

/** The SDK's 2026-07-28 answer with the stand-in replaced by `tools` (`spliceTools`). */
export async function spliceListedTools(answer: Response, tools: Buffer): Promise<Response> {
  const body = spliceTools(Buffer.from(await answer.arrayBuffer()), tools);
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  return new Response(body, { status: answer.status, statusText: answer.statusText, headers });
}
