// get_manager: the signed-in user's manager as the directory records it.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { ORG_PERSON_SELECT, OrgPerson, orgPersonLine, toOrgPerson } from './orgPerson.js';

export const getManager = defineTool({
  name: 'get_manager',
  title: 'Get my manager',
  description: 'The signed-in user\'s manager from the organization\'s directory: name, email, job title.',
  // Graph documents User.Read.All (admin consent) as the least privilege for /me/manager; a deployment that will not
  // grant it leaves it out of GRAPH_SCOPES_GRANTED and loses this tool only, not list_direct_reports.
  scopes: ['User.Read.All'],
  input: () => z.object({}),
  output: () => z.object({ manager: OrgPerson().optional().describe('Absent when the directory names no manager') }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (_input, { graph }) => {
    let manager: OrgPerson;
    try {
      manager = toOrgPerson(await graph.get<MicrosoftGraph.User>('/me/manager', { query: { $select: ORG_PERSON_SELECT } }));
    } catch (error) {
      // Graph answers 404 for a user without a manager: an answer, not a failure.
      if (error instanceof GraphError && error.code === 'not_found') return { structured: {}, text: 'The directory names no manager for you.' };
      throw error;
    }
    return { structured: { manager }, text: `Your manager: ${orgPersonLine(manager)}` };
  },
});
