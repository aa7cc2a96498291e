// The JSON text of a 2025-era answer, with each tools/list answer's tools written from the catalog's text of them.
import { randomUUID } from 'node:crypto';
import type { ToolCatalog } from '../tools/catalog.js';

// Stands in for a tools array while the rest is serialised. Unguessable, so nothing a caller or Graph wrote can
// equal it; JSON.stringify writes it as "\u0000…", which no serialised text holds but a serialised string.
const MARK = `\u0000tools ${randomUUID()}`;
const MARK_JSON = JSON.stringify(MARK);

function listedTools(answer: unknown, catalog: ToolCatalog): string | undefined {
  if (typeof answer !== 'object' || answer === null || !('result' in answer)) return undefined;
  const result = answer.result;
  return typeof result === 'object' && result !== null && 'tools' in result ? catalog.listedJson(result.tools) : undefined;
}

/**
 * `JSON.stringify(body)`, where `body` is one answer or a batch's answers: a tools/list answer's tools (tens of KB,
 * the same for every caller allowed the same tools) are not serialised again per request but spliced in from the
 * text the catalog wrote once.
 */
export function answerJson(body: unknown, catalog: ToolCatalog): string {
  const answers: readonly unknown[] = Array.isArray(body) ? (body as unknown[]) : [body];
  // Most answers hold no list: serialised as they are, with no replacer called for each of their keys.
  if (!answers.some((answer) => listedTools(answer, catalog) !== undefined)) return JSON.stringify(body);
  const spliced: string[] = [];
  const json = JSON.stringify(body, (key, value: unknown): unknown => {
    const text = key === 'tools' ? catalog.listedJson(value) : undefined;
    if (text === undefined) return value;
    spliced.push(text);
    return MARK;
  });
  let index = 0;
  return json.replaceAll(MARK_JSON, () => spliced[index++] ?? MARK_JSON);
}
