// search_messages: the signed-in user's messages in any folder that match a KQL query, newest first.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { MessageSummary, SUMMARY_SELECT, summaryPageText, toSummary } from './messageSummary.js';

/**
 * The `$search` value: the whole query as one quoted OData search phrase, so KQL's own quotes and
 * property restrictions survive inside it. Every character reaches Graph: the Graph layer
 * percent-encodes query values (`C++`, `100%`, `&`, `#` included).
 */
export function searchPhrase(kql: string): string {
  return `"${kql.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export const searchMessages = defineTool({
  name: 'search_messages',
  title: 'Search messages',
  description: 'Search the signed-in user\'s mail in all folders with KQL (e.g. from:adele subject:report, or plain words); newest sent first.',
  scopes: ['Mail.Read'],
  input: () => z.object({
    query: z.string().trim().min(1).max(500).describe('KQL query'),
    top: pageSizeInput(50, 20),
    cursor: cursorInput(),
  }),
  output: () => z.object({ messages: z.array(MessageSummary()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    // No $orderby: Graph refuses it with $search (SearchWithOrderBy) and sorts search results by sent date itself.
    const page = await listPage<MicrosoftGraph.Message>(graph, {
      tool: 'search_messages',
      path: '/me/messages',
      cursor: input.cursor,
      options: { query: { $search: searchPhrase(input.query), $select: SUMMARY_SELECT, $top: input.top } },
    });
    const messages = page.items.map(toSummary);
    return {
      structured: { messages, nextCursor: page.nextCursor },
      text: summaryPageText(messages, `No messages match ${input.query}.`, page.nextCursor),
    };
  },
});
