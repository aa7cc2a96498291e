// Bounds what a tool returns whatever Graph put in a field: each string, the text rendering, and all strings together.
import { cutText } from '../graph/cutText.js';
import { GraphError } from '../graph/graphError.js';
import type { ToolResult } from './defineTool.js';

/** The longest field a tool returns on purpose: read_file's text. Any longer string came from Graph unbounded. */
export const MAX_FIELD_CHARS = 64_000;
/** The text rendering: the longest field plus a page of short lines. */
export const MAX_RESULT_TEXT_CHARS = 128_000;
/** All strings of the structured content together (a 62-day, 20-person schedule is about half of it). */
export const MAX_STRUCTURED_CHARS = 2_000_000;

interface Tally {
  chars: number;
}

/** `value` with every string cut to `MAX_FIELD_CHARS`, the same object when nothing needed cutting. */
function clipStrings(value: unknown, tally: Tally): unknown {
  if (typeof value === 'string') {
    if (value.length <= MAX_FIELD_CHARS) {
      tally.chars += value.length;
      return value;
    }
    tally.chars += MAX_FIELD_CHARS;
    return cutText(value, MAX_FIELD_CHARS);
  }
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | undefined;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      const clipped = clipStrings(item, tally);
      if (clipped !== item) (copy ??= [...items])[index] = clipped;
    }
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    // for-in, not Object.entries: this runs on every result, and allocates nothing when nothing is cut.
    for (const key in record) {
      const item = record[key];
      const clipped = clipStrings(item, tally);
      if (clipped !== item) (copy ??= { ...record })[key] = clipped;
    }
    return copy ?? value;
  }
  return value;
}

/**
 * `result` with each string of its structured content cut to `MAX_FIELD_CHARS` and its text to
 * `MAX_RESULT_TEXT_CHARS` (saying so). Throws `GraphError` `too_large` when the structured content still
 * holds more than `MAX_STRUCTURED_CHARS`: a page of many huge fields, which a smaller `top` avoids.
 */
export function boundResult<Output>(result: ToolResult<Output>): ToolResult<Output> {
  const tally: Tally = { chars: 0 };
  const structured = clipStrings(result.structured, tally) as Output;
  if (tally.chars > MAX_STRUCTURED_CHARS) {
    throw new GraphError('too_large', `The answer holds more than ${MAX_STRUCTURED_CHARS} characters; ask for fewer items (a smaller top) or a narrower window`);
  }
  const text = result.text.length <= MAX_RESULT_TEXT_CHARS
    ? result.text
    : `${cutText(result.text, MAX_RESULT_TEXT_CHARS)}\n[cut at ${MAX_RESULT_TEXT_CHARS} characters]`;
  return structured === result.structured && text === result.text ? result : { structured, text };
}
