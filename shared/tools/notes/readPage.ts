// read_page: the text of one OneNote page, from its HTML, size-capped both ways.
import { z } from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { capText, htmlText } from '../plainText.js';
import { graphId } from '../schemas.js';

/** Larger pages are refused: the whole page sits in memory while it is converted. */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** What a model can use in one turn; the rest is cut and flagged. */
export const MAX_PAGE_CHARS = 64_000;

const TITLE = /<title[^>]{0,200}>([^<]{0,1000})<\/title>/i;

export const readPage = defineTool({
  name: 'read_page',
  title: 'Read a OneNote page',
  description: `The text of a OneNote page (first ${MAX_PAGE_CHARS} characters; images and ink left out).`,
  scopes: ['Notes.Read'],
  input: z.object({ pageId: graphId.describe('From list_pages') }),
  output: z.object({
    id: z.string(),
    title: z.string(),
    text: z.string(),
    truncated: z.boolean().describe(`Cut at ${MAX_PAGE_CHARS} characters`),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    // One call: the page's HTML carries its title, so no metadata request is needed.
    let bytes: Buffer;
    try {
      // Counted as it streams in: a page's size is known only once it has arrived.
      bytes = await graph.getBytes(`/me/onenote/pages/${encodeURIComponent(input.pageId)}/content`, { maxBytes: MAX_PAGE_BYTES });
    } catch (error) {
      if (error instanceof GraphError && error.code === 'too_large') {
        throw new GraphError('too_large', `The page is more than ${MAX_PAGE_BYTES} bytes of HTML; read_page reads pages up to that size. Open it in OneNote`, { cause: error });
      }
      throw error;
    }
    // TextDecoder replaces invalid UTF-8 rather than failing.
    const html = new TextDecoder('utf-8').decode(bytes);
    const title = await htmlText(TITLE.exec(html)?.[1] ?? '');
    const { text, truncated } = capText(await htmlText(html.replace(TITLE, '')), MAX_PAGE_CHARS);
    const cut = truncated ? `\n[truncated at ${MAX_PAGE_CHARS} characters]` : '';
    return { structured: { id: input.pageId, title, text, truncated }, text: `${title || '(untitled)'}\n\n${text}${cut}` };
  },
});
