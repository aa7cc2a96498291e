// list_teams: the Teams teams the signed-in user is a direct member of.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput } from '../schemas.js';

const Team = lazily(() => z.object({ id: z.string(), displayName: z.string().optional(), description: z.string().optional(), isArchived: z.boolean().optional() }));

export const listTeams = defineTool({
  name: 'list_teams',
  title: 'List my teams',
  description: 'Teams you are a member of; their ids open their channels in list_channels.',
  scopes: ['Team.ReadBasic.All'],
  input: () => z.object({ cursor: cursorInput() }),
  output: () => z.object({ teams: z.array(Team()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    // joinedTeams takes no query options: Graph fills id, displayName, description and isArchived only.
    const page = await listPage<MicrosoftGraph.Team>(graph, { tool: 'list_teams', path: '/me/joinedTeams', cursor: input.cursor });
    const teams = page.items.map((team) => ({
      id: team.id ?? '',
      ...(team.displayName != null && { displayName: team.displayName }),
      ...(team.description != null && team.description !== '' && { description: team.description }),
      ...(team.isArchived != null && { isArchived: team.isArchived }),
    }));
    const text = teams.length === 0 ? 'You are not a member of any team.' : teams.map((team) => `- ${team.displayName ?? '(no name)'}${team.isArchived === true ? ' [archived]' : ''} (id ${team.id})`).join('\n');
    return { structured: { teams, nextCursor: page.nextCursor }, text };
  },
});
