// list_channels: the channels of a team that the signed-in user can see.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, graphId, lazily, nextCursorOutput } from '../schemas.js';

const Channel = lazily(() => z.object({
  id: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  membershipType: z.string().optional().describe('standard, private or shared'),
  webUrl: z.string().optional(),
}));

export const teamIdInput = lazily(() => graphId().describe('From list_teams'));

export const listChannels = defineTool({
  name: 'list_channels',
  title: 'List channels',
  description: 'Channels of a team that you can see; read one with list_channel_messages.',
  scopes: ['Channel.ReadBasic.All'],
  input: () => z.object({ teamId: teamIdInput(), cursor: cursorInput() }),
  output: () => z.object({ channels: z.array(Channel()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.Channel>(graph, {
      tool: 'list_channels',
      path: `/teams/${encodeURIComponent(input.teamId)}/channels`,
      cursor: input.cursor,
      options: { query: { $select: 'id,displayName,description,membershipType,webUrl' } },
    });
    const channels = page.items.map((channel) => ({
      id: channel.id ?? '',
      ...(channel.displayName != null && { displayName: channel.displayName }),
      ...(channel.description != null && channel.description !== '' && { description: channel.description }),
      ...(channel.membershipType != null && { membershipType: channel.membershipType }),
      ...(channel.webUrl != null && { webUrl: channel.webUrl }),
    }));
    const text = channels.length === 0 ? 'No channels you can see.' : channels.map((channel) => `- ${channel.displayName ?? '(no name)'} [${channel.membershipType ?? 'standard'}] (id ${channel.id})`).join('\n');
    return { structured: { channels, nextCursor: page.nextCursor }, text };
  },
});
