// send_mail: sends a message from the signed-in user's mailbox, always keeping a copy in Sent Items.
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { allRecipients, composeFields, recipientCount, recipientLimitError, toGraphMessage, withinRecipientLimit } from './composeMessage.js';

export const sendMail = defineTool({
  name: 'send_mail',
  title: 'Send mail',
  description: 'Send an email as the signed-in user; a copy is kept in Sent Items. It is delivered at once and cannot be recalled; use create_draft when the user should review it first.',
  scopes: ['Mail.Send'],
  // No saveToSentItems: whether the user can see what was sent in their name is not the agent's to decide.
  input: () => z.object(composeFields())
    .refine((message) => recipientCount(message) > 0, { message: 'Give at least one recipient in to, cc or bcc', path: ['to'] })
    .refine(withinRecipientLimit, recipientLimitError),
  output: () => z.object({
    sent: z.boolean().describe('Always true: Exchange accepted the message for delivery'),
    recipients: z.number().int().describe('Distinct recipient addresses'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: async (input, { graph }) => {
    // Graph answers 202 with no body: accepted for delivery, which Exchange then does on its own.
    await graph.post('/me/sendMail', { message: toGraphMessage(input), saveToSentItems: true });
    const recipients = recipientCount(input);
    return { structured: { sent: true, recipients }, text: `Sent "${input.subject}" to ${recipients} recipient${recipients === 1 ? '' : 's'}; a copy is in Sent Items.` };
  },
  checkOutcome: 'look in Sent Items (list_messages with folder sentitems)',
  auditRecipients: allRecipients,
  confirm: (input) => ({
    action: `Send the email "${input.subject}"`,
    targets: [...input.to.map((to) => `To: ${to}`), ...input.cc.map((cc) => `Cc: ${cc}`), ...input.bcc.map((bcc) => `Bcc: ${bcc}`)],
    preview: input.body,
  }),
});
