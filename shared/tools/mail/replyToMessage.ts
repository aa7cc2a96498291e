// reply_to_message: a reply or reply-all to one of the user's messages, saved in Drafts unless sending is asked for.
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { RESPOND_CHECK_OUTCOME, respondByMail, respondFields, RespondOutput, respondRecipients, respondText } from './respondByMail.js';

export const replyToMessage = defineTool({
  name: 'reply_to_message',
  title: 'Reply to a message',
  description: 'Reply to the sender (or everyone, with replyAll) of one of the user\'s messages, quoting it. Saved in Drafts unless send is true; Exchange picks the recipients from the original.',
  scopes: ['Mail.ReadWrite', 'Mail.Send'],
  input: () => z.object({ ...respondFields(), replyAll: z.boolean().default(false).describe('Also reply to every To and Cc recipient') }),
  output: () => RespondOutput(),
  // Like send_mail and create_draft: each call makes another draft or message, and a reply reaches other people.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  handler: async (input, { graph }) => {
    const output = await respondByMail(graph, input.replyAll ? 'createReplyAll' : 'createReply', input, { comment: input.comment });
    return { structured: output, text: respondText(input.replyAll ? 'the reply to all' : 'the reply', output) };
  },
  auditCreated: (output) => output.draftId,
  auditRecipients: respondRecipients,
  checkOutcome: RESPOND_CHECK_OUTCOME,
  // Only the input is known before Graph is called, and Graph decides who a reply goes to: the targets describe
  // them rather than list addresses (get_message shows the sender and recipients first).
  confirm: (input) => input.send
    ? {
      action: `Send a reply${input.replyAll ? ' to all' : ''} to message ${input.id} by email now`,
      targets: input.replyAll
        ? ['Everyone on the original message: its sender (or Reply-To) and each To and Cc recipient, as Exchange picks them']
        : ['The sender of the original message (or its Reply-To address), as Exchange picks it'],
      preview: input.comment,
    }
    : undefined,
});
