// HTML to plain text in a document worker: html-to-text with every setting bounded, hidden text left out, tables
// laid out only when small.
import { compile } from 'html-to-text';
import { capText } from '../../capText.js';
import type { DocumentText } from '../../documentFormats.js';
import { boundedTable } from './boundedTable.js';
import { GATED_ATTRIBUTES, resetVisibility, visibleAnchor, visibleOnly, visiblePre } from './visibleOnly.js';

/** Nesting beyond this is cut (with an ellipsis): the converter walks the tree recursively. Real pages stay far below it. */
export const MAX_HTML_DEPTH = 200;
/** Children of one element walked at most: more than that many yield more text than is ever kept. */
export const MAX_HTML_CHILD_NODES = 50_000;

const TITLE = /<title[^>]{0,200}>([^<]{0,1000})<\/title>/i;

const convert = compile({
  wordwrap: false,
  limits: { maxDepth: MAX_HTML_DEPTH, maxChildNodes: MAX_HTML_CHILD_NODES },
  formatters: { visibleOnly, visibleAnchor, visiblePre, boundedTable },
  selectors: [
    { selector: 'img', format: 'skip' },
    // Never shown: a template's content is inert, noscript's is for browsers without scripts.
    { selector: 'template', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'a', format: 'visibleAnchor', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'pre', format: 'visiblePre' },
    // Every table as rows and columns: by default only tables marked as data tables are, the rest run cells together.
    { selector: 'table', format: 'boundedTable' },
    ...GATED_ATTRIBUTES.map((name) => ({ selector: `[${name}]`, format: 'visibleOnly' })),
  ],
});

/** Plain text of HTML: markup, scripts, styles, images and hidden text gone, links kept once, small tables as columns. */
export function htmlText(content: string | Uint8Array, maxChars: number): DocumentText {
  // TextDecoder replaces invalid UTF-8 rather than failing.
  const html = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
  const titleMatch = TITLE.exec(html);
  let title: string | undefined;
  if (titleMatch !== null) {
    resetVisibility('');
    title = convert(titleMatch[1] ?? '').trim();
  }
  const body = titleMatch === null ? html : html.slice(0, titleMatch.index) + html.slice(titleMatch.index + titleMatch[0].length);
  resetVisibility(body);
  const { text, truncated } = capText(convert(body).trim(), maxChars);
  return { text, truncated, ...(title !== undefined && { title }) };
}
