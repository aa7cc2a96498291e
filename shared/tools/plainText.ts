// Plain text for tool output: HTML converted (html-to-text, loaded on first use) and lengths capped.

/** Cuts at `max` characters without splitting a surrogate pair. */
export function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const code = text.charCodeAt(max - 1);
  return { text: text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max), truncated: true };
}

/** Nesting beyond this is cut (with an ellipsis); real pages and messages stay far below it. */
const MAX_DEPTH = 200;

/** Plain text of HTML: markup, scripts, styles and images gone, links kept once, tables as columns. */
export async function htmlText(html: string): Promise<string> {
  // Loaded on first use: most instances never convert HTML, and the library is a sizeable share of a cold start.
  const { convert } = await import('html-to-text');
  return convert(html, {
    wordwrap: false,
    // The converter walks the tree recursively: thousands of nested tags from a hostile body would overflow the stack.
    limits: { maxDepth: MAX_DEPTH },
    // Every table as rows and columns: by default only tables marked as data tables are, the rest run cells together.
    selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { hideLinkHrefIfSameAsText: true } }, { selector: 'table', format: 'dataTable' }],
  }).trim();
}
