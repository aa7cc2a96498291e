// forward_message: one of the user's messages, with its attachments, to named recipients; saved in Drafts unless sending is asked for.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { composeFields, recipientCount, recipientLimitError, withinRecipientLimit } from './composeMessage.js';
import { RESPOND_CHECK_OUTCOME, respondByMail, respondFields, RespondOutput, respondText } from './respondByMail.js';

const recipientsOf = (addresses: readonly string[]): MicrosoftGraph.Recipient[] => addresses.map((address) => ({ emailAddress: { address } }));

export const forwardMessage = defineTool({
  name: 'forward_message',
  title: 'Forward a message',
  description: 'Forward one of the user\'s messages, attachments included, to the given addresses with a comment. Saved in Drafts unless send is true.',
  scopes: ['Mail.ReadWrite', 'Mail.Send'],
  input: () => z.object({ ...respondFields(), to: composeFields().to, cc: composeFields().cc })
    .refine((input) => input.to.length > 0, { message: 'Give at least one address in to', path: ['to'] })
    .refine((input) => withinRecipientLimit({ ...input, bcc: [] }), recipientLimitError),
  output: () => RespondOutput(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: async (input, { graph }) => {
    const output = await respondByMail(graph, 'createForward', input, {
      comment: input.comment,
      message: { toRecipients: recipientsOf(input.to), ccRecipients: recipientsOf(input.cc) },
    });
    return { structured: output, text: respondText('the forward', output) };
  },
  auditCreated: (output) => output.draftId,
  // The caller names every recipient: the row counts them whether or not Graph answered.
  auditRecipients: (input) => [...input.to, ...input.cc],
  checkOutcome: RESPOND_CHECK_OUTCOME,
  confirm: (input) => input.send
    ? {
      action: `Forward message ${input.id}, with its attachments, by email now to ${recipientCount({ ...input, bcc: [] })} recipient(s)`,
      targets: [...input.to, ...input.cc],
      preview: input.comment,
    }
    : undefined,
});
