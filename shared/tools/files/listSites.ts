// list_sites: SharePoint sites the signed-in user can see, all of them or those matching some words.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput, nullAsAbsent, pageSizeInput } from '../schemas.js';

const Site = lazily(() => z.object({
  id: z.string(),
  displayName: nullAsAbsent(z.string()),
  name: nullAsAbsent(z.string()),
  webUrl: nullAsAbsent(z.string()),
  description: nullAsAbsent(z.string()),
}));

export const listSites = defineTool({
  name: 'list_sites',
  title: 'List SharePoint sites',
  description: 'Find SharePoint sites you can access, by words in their name or description (omit query for all); their ids open their libraries in list_drive_items.',
  // One tool rather than list + search: the same Graph call, and a shorter tools/list.
  scopes: ['Sites.Read.All'],
  input: () => z.object({
    query: z.string().trim().min(1).max(200).optional().describe('Words to search for in site names and descriptions'),
    top: pageSizeInput(100, 25),
    cursor: cursorInput(),
  }),
  output: () => z.object({ sites: z.array(Site()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    // Sent whole: the Graph layer percent-encodes query values, so `&`, `#`, `+` and `%` stay part of the words.
    const search = input.query ?? '*';
    const page = await listPage<MicrosoftGraph.Site>(graph, {
      tool: 'list_sites',
      path: '/sites',
      cursor: input.cursor,
      options: { query: { search, $top: input.top, $select: 'id,displayName,name,webUrl,description' } },
    });
    const sites = page.items.map((site) => Site().parse({ ...site, id: site.id ?? '' }));
    const text = sites.length === 0
      ? `No sites found${input.query === undefined ? '' : ` for "${input.query}"`}.`
      : sites.map((site) => `${site.displayName ?? site.name ?? '(no name)'} ${site.webUrl ?? ''} id ${site.id}`).join('\n');
    return { structured: { sites, nextCursor: page.nextCursor }, text };
  },
});
