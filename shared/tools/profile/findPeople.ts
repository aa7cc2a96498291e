// find_people: people the signed-in user works with, by name or address (relevance-ranked by Microsoft 365).
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput, nullAsAbsent, pageSizeInput } from '../schemas.js';

const Person = lazily(() => z.object({
  id: z.string(),
  displayName: nullAsAbsent(z.string()),
  email: nullAsAbsent(z.string()),
  jobTitle: nullAsAbsent(z.string()),
  department: nullAsAbsent(z.string()),
}));

export const findPeople = defineTool({
  name: 'find_people',
  title: 'Find people',
  description: 'Find colleagues and contacts the signed-in user works with by name or email; use before addressing mail or invitations.',
  scopes: ['People.Read'],
  input: () => z.object({
    query: z.string().min(1).max(200).describe('Name, part of a name, or email address'),
    top: pageSizeInput(50, 10),
    cursor: cursorInput(),
  }),
  output: () => z.object({ people: z.array(Person()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.Person>(graph, {
      tool: 'find_people',
      path: '/me/people',
      cursor: input.cursor,
      options: { query: { $search: `"${input.query.replaceAll('"', '')}"`, $top: input.top, $select: 'id,displayName,scoredEmailAddresses,jobTitle,department' } },
    });
    const people = page.items.map((person) => ({
      id: person.id ?? '',
      displayName: person.displayName,
      email: person.scoredEmailAddresses?.[0]?.address,
      jobTitle: person.jobTitle,
      department: person.department,
    }));
    const text = people.length === 0
      ? `No one found for "${input.query}".`
      : people.map((person) => `${person.displayName ?? '(no name)'} <${person.email ?? 'no email'}>${person.jobTitle ? `, ${person.jobTitle}` : ''}`).join('\n');
    return { structured: { people, nextCursor: page.nextCursor }, text };
  },
});
