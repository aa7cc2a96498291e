// list_chats: the signed-in user's recent Teams chats with their members and a preview of the last message.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { capText } from '../../documents/capText.js';
import type { DocumentContext } from '../documentText.js';
import { messageText, senderName } from './messageText.js';

const PREVIEW_CHARS = 200;

const Chat = lazily(() => z.object({
  id: z.string(),
  topic: z.string().optional(),
  chatType: z.string().describe('oneOnOne, group or meeting'),
  members: z.array(z.string()).describe('Names (up to 25)'),
  lastMessage: z.object({ from: z.string().optional(), createdDateTime: z.string().optional(), text: z.string() }).optional(),
  webUrl: z.string().optional(),
}));
type Chat = z.input<ReturnType<typeof Chat>>;

async function toChat(chat: MicrosoftGraph.Chat, context: DocumentContext): Promise<Chat> {
  const preview = chat.lastMessagePreview ?? undefined;
  const from = senderName(preview?.from);
  const last = preview === undefined
    ? undefined
    : {
      ...(from !== undefined && { from }),
      ...(preview.createdDateTime != null && { createdDateTime: preview.createdDateTime }),
      text: capText((await messageText({
        body: preview.body ?? undefined,
        messageType: preview.messageType,
        eventDetail: preview.eventDetail,
        deletedDateTime: preview.isDeleted === true ? preview.createdDateTime ?? 'deleted' : null,
      }, context, PREVIEW_CHARS * 4)).replace(/\s+/g, ' '), PREVIEW_CHARS).text,
    };
  return {
    id: chat.id ?? '',
    ...(chat.topic != null && chat.topic !== '' && { topic: chat.topic }),
    chatType: chat.chatType ?? 'unknown',
    members: (chat.members ?? []).map((member) => member.displayName ?? '').filter((name) => name !== ''),
    ...(last !== undefined && { lastMessage: last }),
    ...(chat.webUrl != null && { webUrl: chat.webUrl }),
  };
}

function chatLine(chat: Chat): string {
  const name = chat.topic ?? chat.members.join(', ');
  const last = chat.lastMessage === undefined ? '' : `\n  ${chat.lastMessage.createdDateTime ?? ''} ${chat.lastMessage.from ?? ''}: ${chat.lastMessage.text}`;
  return `- ${name || '(no members)'} [${chat.chatType}] (id ${chat.id})${last}`;
}

export const listChats = defineTool({
  name: 'list_chats',
  title: 'List Teams chats',
  description: 'Your Teams chats, most recent first: topic, members, last message. Read one with list_chat_messages.',
  // Chat().ReadBasic lists chats but not their messages, and the preview is a message.
  scopes: ['Chat.Read'],
  input: () => z.object({ top: pageSizeInput(50, 20), cursor: cursorInput() }),
  output: () => z.object({ chats: z.array(Chat()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, context) => {
    const { graph } = context;
    // /me/chats takes $expand, $top, $filter and $orderby only; $select is not supported there.
    const page = await listPage<MicrosoftGraph.Chat>(graph, {
      tool: 'list_chats',
      path: '/me/chats',
      cursor: input.cursor,
      options: { query: { $expand: 'members,lastMessagePreview', $orderby: 'lastMessagePreview/createdDateTime desc', $top: input.top } },
    });
    const chats = await Promise.all(page.items.map((chat) => toChat(chat, context)));
    const more = page.nextCursor === undefined ? '' : '\nMore chats: call again with nextCursor.';
    return { structured: { chats, nextCursor: page.nextCursor }, text: chats.length === 0 ? 'No chats.' : `${chats.map(chatLine).join('\n')}${more}` };
  },
});
