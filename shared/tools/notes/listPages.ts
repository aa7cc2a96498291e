// list_pages: the pages of one OneNote section, most recently changed first.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, graphId, lazily, nextCursorOutput, pageSizeInput } from '../schemas.js';

const Page = lazily(() => z.object({
  id: z.string(),
  title: z.string(),
  createdDateTime: z.string().optional(),
  lastModifiedDateTime: z.string().optional(),
  webUrl: z.string().optional(),
}));

export const listPages = defineTool({
  name: 'list_pages',
  title: 'List OneNote pages',
  description: 'Pages of a OneNote section, most recently changed first; read one with read_page.',
  scopes: ['Notes.Read'],
  input: () => z.object({
    sectionId: graphId().describe('From list_notebooks'),
    top: pageSizeInput(100, 25),
    cursor: cursorInput(),
  }),
  output: () => z.object({ pages: z.array(Page()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.OnenotePage>(graph, {
      tool: 'list_pages',
      path: `/me/onenote/sections/${encodeURIComponent(input.sectionId)}/pages`,
      cursor: input.cursor,
      options: { query: { $select: 'id,title,createdDateTime,lastModifiedDateTime,links', $orderby: 'lastModifiedDateTime desc', $top: input.top } },
    });
    const pages = page.items.map((entry) => {
      const webUrl = entry.links?.oneNoteWebUrl?.href ?? undefined;
      return {
        id: entry.id ?? '',
        title: entry.title ?? '',
        ...(entry.createdDateTime != null && { createdDateTime: entry.createdDateTime }),
        ...(entry.lastModifiedDateTime != null && { lastModifiedDateTime: entry.lastModifiedDateTime }),
        ...(webUrl !== undefined && { webUrl }),
      };
    });
    const more = page.nextCursor === undefined ? '' : '\nMore pages: call again with nextCursor.';
    const text = pages.length === 0 ? 'No pages in this section.' : `${pages.map((entry) => `- ${entry.title || '(untitled)'}, changed ${entry.lastModifiedDateTime ?? '?'} (id ${entry.id})`).join('\n')}${more}`;
    return { structured: { pages, nextCursor: page.nextCursor }, text };
  },
});
