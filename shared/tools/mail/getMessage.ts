// get_message: one of the signed-in user's messages with its body as plain text (capped) and its attachments' names.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { graphId, lazily, nullAsAbsent } from '../schemas.js';
import { Address, formatAddress, toAddress } from './messageSummary.js';

/** Enough for nearly every real message, small enough for a model's context. */
export const MAX_BODY_CHARS = 32_000;

const Attachment = lazily(() => z.object({
  name: nullAsAbsent(z.string()),
  contentType: nullAsAbsent(z.string()),
  size: nullAsAbsent(z.number()).describe('Bytes'),
  isInline: nullAsAbsent(z.boolean()),
}));

/** Cuts at `max` characters without splitting a surrogate pair. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function sizeText(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return 'size unknown';
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

export const getMessage = defineTool({
  name: 'get_message',
  title: 'Read a message',
  description: `One of the signed-in user's messages by id: sender, recipients, body as plain text (first ${MAX_BODY_CHARS} characters) and attachment names.`,
  scopes: ['Mail.Read'],
  input: () => z.object({ id: graphId().describe('Message id from list_messages or search_messages') }),
  output: () => z.object({
    id: z.string(),
    subject: nullAsAbsent(z.string()),
    from: nullAsAbsent(Address()),
    to: z.array(Address()),
    cc: z.array(Address()),
    receivedDateTime: nullAsAbsent(z.string()),
    isRead: nullAsAbsent(z.boolean()),
    importance: nullAsAbsent(z.string()),
    webLink: nullAsAbsent(z.string()),
    body: z.string().describe('Plain text'),
    bodyLength: z.number().int().describe('Characters in the whole body'),
    truncated: z.boolean().describe('True when body holds only the first part'),
    attachments: z.array(Attachment()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const message = await graph.get<MicrosoftGraph.Message>(`/me/messages/${encodeURIComponent(input.id)}`, {
      query: {
        $select: 'id,subject,from,toRecipients,ccRecipients,receivedDateTime,isRead,importance,webLink,body',
        // Names and sizes only: never the attachments' content.
        $expand: 'attachments($select=name,contentType,size,isInline)',
      },
      // Graph turns HTML bodies into text itself (scripts, styles and markup gone).
      headers: { Prefer: 'outlook.body-content-type="text"' },
    });
    const fullBody = message.body?.content ?? '';
    const body = cap(fullBody, MAX_BODY_CHARS);
    const truncated = body.length < fullBody.length;
    const addresses = (recipients: MicrosoftGraph.Recipient[] | null | undefined) =>
      (recipients ?? []).map(toAddress).filter((address) => address !== undefined);
    const attachments = (message.attachments ?? []).map((attachment) => ({
      name: attachment.name,
      contentType: attachment.contentType,
      size: attachment.size,
      isInline: attachment.isInline,
    }));
    const structured = {
      id: message.id ?? input.id,
      subject: message.subject,
      from: toAddress(message.from),
      to: addresses(message.toRecipients),
      cc: addresses(message.ccRecipients),
      receivedDateTime: message.receivedDateTime,
      isRead: message.isRead,
      importance: message.importance,
      webLink: message.webLink,
      body,
      bodyLength: fullBody.length,
      truncated,
      attachments,
    };
    const lines = [
      `Subject: ${message.subject || '(no subject)'}`,
      `From: ${formatAddress(structured.from)}`,
      `To: ${structured.to.map(formatAddress).join(', ') || '(none)'}`,
      ...(structured.cc.length > 0 ? [`Cc: ${structured.cc.map(formatAddress).join(', ')}`] : []),
      `Received: ${message.receivedDateTime ?? '(no date)'}`,
      ...(attachments.length > 0 ? [`Attachments: ${attachments.map((attachment) => `${attachment.name ?? '(unnamed)'} (${sizeText(attachment.size)})`).join(', ')}`] : []),
      '',
      body,
      ...(truncated ? ['', `[Body cut at ${MAX_BODY_CHARS} of ${fullBody.length} characters; the rest is in Outlook: ${message.webLink ?? 'open the message there'}]`] : []),
    ];
    return { structured, text: lines.join('\n') };
  },
});
