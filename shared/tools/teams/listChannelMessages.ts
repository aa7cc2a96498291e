// list_channel_messages: the posts of a team channel with their reply counts, or the replies to one post, as plain text.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { cursorInput, graphId, lazily, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { teamIdInput } from './listChannels.js';
import { messageLine, MessageOutput, toMessageSummary } from './messageText.js';
import { threadPage } from './threadPage.js';

const ChannelMessage = lazily(() => MessageOutput().extend({
  subject: z.string().optional(),
  replies: z.number().int().optional().describe('Reply count (posts only)'),
  webUrl: z.string().optional(),
}));

export function channelPath(teamId: string, channelId: string): string {
  return `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`;
}

export const channelIdInput = lazily(() => graphId().describe('From list_channels'));

export const listChannelMessages = defineTool({
  name: 'list_channel_messages',
  title: 'Read a Teams channel',
  description: 'Posts of a team channel with reply counts, or with messageId the replies to that post; text with @mentions as names.',
  // Needs admin consent; without it the call ends in consent_required with the consent URL.
  scopes: ['ChannelMessage.Read.All'],
  input: () => z.object({
    teamId: teamIdInput(),
    channelId: channelIdInput(),
    messageId: graphId().optional().describe('A post\'s id: list its replies instead'),
    top: pageSizeInput(50, 20),
    cursor: cursorInput(),
  }),
  output: () => z.object({ messages: z.array(ChannelMessage()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, context) => {
    const { graph } = context;
    const posts = channelPath(input.teamId, input.channelId);
    // Channel messages take $top (at most 50) and $expand only. Graph has no reply count: the replies are
    // expanded (up to 1,000 per post) and counted here, never returned.
    const page = await threadPage<MicrosoftGraph.ChatMessage>(graph, input.messageId === undefined
      ? { tool: 'list_channel_messages', path: posts, cursor: input.cursor, options: { query: { $top: input.top, $expand: 'replies' } } }
      : { tool: 'list_channel_messages', path: `${posts}/${encodeURIComponent(input.messageId)}/replies`, cursor: input.cursor, options: { query: { $top: input.top } } });
    const messages = await Promise.all(page.items.map(async (message) => ({
      ...await toMessageSummary(message, context),
      ...(message.subject != null && message.subject !== '' && { subject: message.subject }),
      ...(input.messageId === undefined && { replies: message.replies?.length ?? 0 }),
      ...(message.webUrl != null && { webUrl: message.webUrl }),
    })));
    const lines = messages.map((message) => `${messageLine(message)}${message.replies === undefined ? '' : ` [${message.replies} replies]`}`);
    const more = page.nextCursor === undefined ? '' : '\nMore: call again with nextCursor.';
    const empty = input.messageId === undefined ? 'No posts in this channel.' : 'No replies to this post.';
    return { structured: { messages, nextCursor: page.nextCursor }, text: messages.length === 0 ? empty : `${lines.join('\n')}${more}` };
  },
});
