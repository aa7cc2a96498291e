// send_mail: sends a message from the signed-in user's mailbox.
import { z } from 'zod';
import { defineTool } from '../defineTool.js';
import { composeFields, recipientCount, recipientLimitError, toGraphMessage, withinRecipientLimit } from './composeMessage.js';

export const sendMail = defineTool({
  name: 'send_mail',
  title: 'Send mail',
  description: 'Send an email as the signed-in user. It is delivered at once and cannot be recalled; use create_draft when the user should review it first.',
  scopes: ['Mail.Send'],
  input: z.object({
    ...composeFields,
    saveToSentItems: z.boolean().default(true),
  })
    .refine((message) => recipientCount(message) > 0, { message: 'Give at least one recipient in to, cc or bcc', path: ['to'] })
    .refine(withinRecipientLimit, recipientLimitError),
  output: z.object({
    sent: z.literal(true),
    recipients: z.number().int().describe('Distinct recipient addresses'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: async (input, { graph }) => {
    // Graph answers 202 with no body: accepted for delivery, which Exchange then does on its own.
    await graph.post('/me/sendMail', { message: toGraphMessage(input), saveToSentItems: input.saveToSentItems });
    const recipients = recipientCount(input);
    const copy = input.saveToSentItems ? '; a copy is in Sent Items' : '';
    return { structured: { sent: true as const, recipients }, text: `Sent "${input.subject}" to ${recipients} recipient${recipients === 1 ? '' : 's'}${copy}.` };
  },
});
