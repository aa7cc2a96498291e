// A tools/list answer with its tools written once: the envelope is serialised around a stand-in (by the SDK on
// 2026-07-28, by the 2025 leg itself), and the catalog's text of the caller's list, serialised once per distinct
// list, takes the stand-in's place.
import { randomUUID } from 'node:crypto';

// Unguessable, so nothing a caller or Graph wrote (a request id, a tool's result beside the list in a 2025 batch) can
// equal it; JSON.stringify writes it as "\u0000…", which no serialised text holds but a serialised string.
const MARK = `\u0000listed tools ${randomUUID()}`;
const MARK_JSON = `[${JSON.stringify(MARK)}]`;

/** What the tools/list handler hands the SDK in place of the tools, whose text is spliced in afterwards. */
export const TOOLS_STAND_IN: readonly string[] = Object.freeze([MARK]);

/**
 * `answer` with every stand-in replaced by `tools` (the JSON of the tools array): a 2025 batch may hold several
 * tools/list answers, all of one caller's list. The answer is JSON or, had the SDK chosen a stream, SSE events
 * whose data lines are JSON: a stand-in sits on one line either way, and the catalog's text holds no line break,
 * so both stay well formed. Text, not bytes: the answer is encoded once, as it is sent, not copied on the way
 * (each copy of a list is tens of KB outside the heap, which brings the next full collection nearer).
 */
export function spliceTools(answer: string, tools: string): string {
  const parts = answer.split(MARK_JSON);
  return parts.length === 1 ? answer : parts.join(tools);
}

/** The SDK's 2026-07-28 answer (the envelope, a few hundred bytes) with the stand-in replaced by `tools` (`spliceTools`). */
export async function spliceListedTools(answer: Response, tools: string): Promise<Response> {
  const body = spliceTools(await answer.text(), tools);
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  return new Response(body, { status: answer.status, statusText: answer.statusText, headers });
}
