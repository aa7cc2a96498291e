// Cuts text at a number of characters without splitting a surrogate pair.

/** `text` cut at `max` characters (one fewer when the cut would fall inside a surrogate pair). */
export function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const code = text.charCodeAt(max - 1);
  return { text: text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max), truncated: true };
}
