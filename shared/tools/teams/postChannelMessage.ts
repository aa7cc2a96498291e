// post_channel_message: a new post in a team channel, or a reply to a post, as the signed-in user.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { graphId } from '../schemas.js';
import { teamIdInput } from './listChannels.js';
import { channelIdInput, channelPath } from './listChannelMessages.js';
import { messageTextInput, sentOutput, toSent } from './sendChatMessage.js';

export const postChannelMessage = defineTool({
  name: 'post_channel_message',
  title: 'Post in a Teams channel',
  description: 'Post text as you in a team channel, or reply to a post with replyTo. Channel members see it at once.',
  scopes: ['ChannelMessage.Send'],
  input: () => z.object({
    teamId: teamIdInput(),
    channelId: channelIdInput(),
    text: messageTextInput(),
    subject: z.string().trim().min(1).max(255).optional().describe('New posts only'),
    replyTo: graphId().optional().describe('Post id to reply to'),
  }).refine((input) => input.replyTo === undefined || input.subject === undefined, { message: 'A reply has no subject', path: ['subject'] }),
  output: () => sentOutput(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  auditTarget: (input) => `${input.teamId}/${input.channelId}${input.replyTo === undefined ? '' : `/${input.replyTo}`}`,
  auditCreated: (output) => output.id,
  checkOutcome: 'read the channel\'s newest posts (or the post\'s replies) with list_channel_messages',
  confirm: (input) => ({
    action: input.replyTo === undefined ? `Post${input.subject === undefined ? '' : ` "${input.subject}"`} in a Teams channel` : 'Reply to a post in a Teams channel',
    targets: [`Team: ${input.teamId}`, `Channel: ${input.channelId}`, ...(input.replyTo === undefined ? [] : [`Reply to post: ${input.replyTo}`])],
    preview: input.text,
  }),
  handler: async (input, { graph }) => {
    const posts = channelPath(input.teamId, input.channelId);
    const path = input.replyTo === undefined ? posts : `${posts}/${encodeURIComponent(input.replyTo)}/replies`;
    const body: MicrosoftGraph.ChatMessage = {
      body: { contentType: 'text', content: input.text },
      ...(input.subject !== undefined && { subject: input.subject }),
    };
    const sent = await graph.post<MicrosoftGraph.ChatMessage>(path, body);
    const structured = toSent(sent);
    const what = input.replyTo === undefined ? 'Posted in the channel' : `Replied to post ${input.replyTo}`;
    return { structured, text: `${what} (message id ${structured.id})${structured.webUrl === undefined ? '' : `: ${structured.webUrl}`}.` };
  },
});
