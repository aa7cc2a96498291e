// create_draft: saves a message in the signed-in user's Drafts folder for them to review and send.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { nullAsAbsent } from '../schemas.js';
import { allRecipients, composeFields, recipientLimitError, toGraphMessage, withinRecipientLimit } from './composeMessage.js';

export const createDraft = defineTool({
  name: 'create_draft',
  title: 'Create a draft',
  description: 'Save an email in the signed-in user\'s Drafts folder without sending it; returns a link to open it in Outlook.',
  scopes: ['Mail.ReadWrite'],
  input: () => z.object(composeFields()).refine(withinRecipientLimit, recipientLimitError),
  output: () => z.object({
    id: z.string(),
    webLink: nullAsAbsent(z.string()).describe('Opens the draft in Outlook on the web'),
  }),
  // openWorldHint true like send_mail: a draft is one step from leaving the organization, though it reaches no one until sent.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  auditCreated: (output) => output.id,
  handler: async (input, { graph }) => {
    const draft = await graph.post<MicrosoftGraph.Message>('/me/messages', toGraphMessage(input));
    const id = draft.id ?? '';
    return {
      structured: { id, webLink: draft.webLink },
      text: `Saved draft "${input.subject}" in Drafts (id ${id})${draft.webLink ? `; open it at ${draft.webLink}` : ''}.`,
    };
  },
  checkOutcome: 'look in Drafts (list_messages with folder drafts)',
  auditRecipients: allRecipients,
});
