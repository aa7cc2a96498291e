// Cuts text from outside (Graph answers, file contents) to a length, never leaving half of a surrogate pair.

/** `text` itself when it fits in `max` UTF-16 code units, else its first `max` (or `max - 1`, not to split a pair). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
