// list_messages: the newest messages in one of the signed-in user's mail folders, optionally unread only.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, graphId, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { MessageSummary, SUMMARY_SELECT, summaryPageText, toSummary } from './messageSummary.js';

// Graph takes these names in place of a folder id; the description offers them to the model.
const WELL_KNOWN_FOLDERS = ['inbox', 'sentitems', 'drafts', 'archive', 'deleteditems'];

/**
 * Graph rejects `$filter` with `$orderby` (InefficientFilter) unless the sorted property comes first in the
 * filter, so the unread filter leads with a receivedDateTime clause every message passes.
 */
const UNREAD_FILTER = 'receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false';

export const listMessages = defineTool({
  name: 'list_messages',
  title: 'List messages',
  description: 'Newest messages in a mail folder of the signed-in user (inbox by default), optionally unread only. Use get_message to read one.',
  scopes: ['Mail.Read'],
  input: () => z.object({
    folder: graphId().default('inbox').describe(`Folder: ${WELL_KNOWN_FOLDERS.join(', ')}, or a folder id`),
    unreadOnly: z.boolean().default(false),
    top: pageSizeInput(50, 20),
    cursor: cursorInput(),
  }),
  output: () => z.object({ messages: z.array(MessageSummary()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.Message>(graph, {
      tool: 'list_messages',
      // A cursor already names its folder: accept any folder's, so a caller need not repeat `folder` to page on.
      path: input.cursor === undefined ? `/me/mailFolders/${encodeURIComponent(input.folder)}/messages` : '/me/mailFolders/',
      cursor: input.cursor,
      options: {
        query: {
          $select: SUMMARY_SELECT,
          $orderby: 'receivedDateTime desc',
          $filter: input.unreadOnly ? UNREAD_FILTER : undefined,
          $top: input.top,
        },
      },
    });
    const messages = page.items.map(toSummary);
    const empty = `No ${input.unreadOnly ? 'unread ' : ''}messages in ${input.folder}.`;
    return {
      structured: { messages, nextCursor: page.nextCursor },
      text: summaryPageText(messages, empty, page.nextCursor),
    };
  },
});
