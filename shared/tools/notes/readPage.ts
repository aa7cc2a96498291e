// read_page: the text of one OneNote page, from its HTML, size-capped both ways.
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { graphId } from '../schemas.js';

/** Larger pages are refused: the whole page sits in memory while it arrives (the first 2 MiB of it are converted). */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** What a model can use in one turn; the rest is cut and flagged. */
export const MAX_PAGE_CHARS = 64_000;

export const readPage = defineTool({
  name: 'read_page',
  title: 'Read a OneNote page',
  description: `The text of a OneNote page (first ${MAX_PAGE_CHARS} characters; images and ink left out).`,
  scopes: ['Notes.Read'],
  input: () => z.object({ pageId: graphId().describe('From list_pages') }),
  output: () => z.object({
    id: z.string(),
    title: z.string(),
    text: z.string(),
    truncated: z.boolean().describe(`Cut at ${MAX_PAGE_CHARS} characters`),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph, documents, signal }) => {
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
    // The page's HTML carries its title, which the conversion returns apart from the text.
    const { text, truncated, title = '' } = await documents.convert({ format: 'html', content: bytes, name: 'The page', maxChars: MAX_PAGE_CHARS }, signal);
    const cut = truncated ? `\n[truncated at ${MAX_PAGE_CHARS} characters]` : '';
    return { structured: { id: input.pageId, title, text, truncated }, text: `${title || '(untitled)'}\n\n${text}${cut}` };
  },
});
