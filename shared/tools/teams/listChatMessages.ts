// list_chat_messages: the messages of one of the signed-in user's Teams chats, newest first, as plain text.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { cursorInput, graphId, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { messageLine, MessageOutput, toMessageSummary } from './messageText.js';
import { threadPage } from './threadPage.js';

export const listChatMessages = defineTool({
  name: 'list_chat_messages',
  title: 'Read a Teams chat',
  description: 'Messages of a Teams chat, newest first, as text with @mentions as names.',
  scopes: ['Chat.Read'],
  input: () => z.object({
    chatId: graphId().describe('From list_chats'),
    top: pageSizeInput(50, 20),
    cursor: cursorInput(),
  }),
  output: () => z.object({ messages: z.array(MessageOutput()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, context) => {
    const { graph } = context;
    // Chat messages take $top (at most 50), $orderby and $filter only; no $select.
    const page = await threadPage<MicrosoftGraph.ChatMessage>(graph, {
      tool: 'list_chat_messages',
      path: `/chats/${encodeURIComponent(input.chatId)}/messages`,
      cursor: input.cursor,
      options: { query: { $top: input.top, $orderby: 'createdDateTime desc' } },
    });
    const messages = await Promise.all(page.items.map((message) => toMessageSummary(message, context)));
    const more = page.nextCursor === undefined ? '' : '\nOlder messages: call again with nextCursor.';
    return { structured: { messages, nextCursor: page.nextCursor }, text: messages.length === 0 ? 'No messages in this chat.' : `${messages.map(messageLine).join('\n')}${more}` };
  },
});
