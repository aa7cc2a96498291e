// list_direct_reports: the people who report to the signed-in user in the organization's directory.
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { ORG_PERSON_SELECT, OrgPerson, orgPersonLine, toOrgPerson } from './orgPerson.js';

export const listDirectReports = defineTool({
  name: 'list_direct_reports',
  title: 'List my direct reports',
  description: 'The people who report directly to the signed-in user, from the organization\'s directory.',
  // Graph's documented least privilege: User.Read for the user's own relationships, User.ReadBasic.All for the basic
  // profile of each person in them.
  scopes: ['User.Read', 'User.ReadBasic.All'],
  input: () => z.object({ top: pageSizeInput(100, 50), cursor: cursorInput() }),
  output: () => z.object({ people: z.array(OrgPerson()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<Parameters<typeof toOrgPerson>[0]>(graph, {
      tool: 'list_direct_reports',
      path: '/me/directReports',
      cursor: input.cursor,
      options: { query: { $select: ORG_PERSON_SELECT, $top: input.top } },
    });
    const people = page.items.map(toOrgPerson);
    const lines = people.map((person) => `- ${orgPersonLine(person)}`);
    if (page.nextCursor !== undefined) lines.push(`More: call again with cursor ${page.nextCursor}`);
    return { structured: { people, nextCursor: page.nextCursor }, text: people.length === 0 ? 'No one reports to you in the directory.' : lines.join('\n') };
  },
});
