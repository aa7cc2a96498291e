// Bounds and cleans text that came from outside before it is written to a log line.

// Control and format characters (ANSI escapes, CR/LF, NUL, bidi overrides), lone surrogates, and
// Unicode line/paragraph separators: anything that could forge, split or hide a log line.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** At most what an unverified claim or header may put into a log line (a tenant id is 36). */
export const UNVERIFIED_LOG_CHARS = 64;

/**
 * `text` without unsafe characters and cut to `maxLength`, marked with its original length when cut.
 * Only a bounded prefix is examined, so the cost does not grow with what a caller sent.
 */
export function sanitizeForLog(text: string, maxLength: number): string {
  const window = text.length > maxLength * 4 ? text.slice(0, maxLength * 4) : text;
  const clean = window.replace(UNSAFE, '');
  if (clean.length <= maxLength && window.length === text.length) return clean;
  // Cutting may split a surrogate pair; the half left at the end goes too.
  return `${clean.slice(0, maxLength).replace(/[\uD800-\uDBFF]$/, '')}…(${text.length} chars)`;
}
