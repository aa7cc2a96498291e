// The compact view of a message that list_messages and search_messages share, and its one-line rendering.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { lazily, nullAsAbsent } from '../schemas.js';

export const Address = lazily(() => z.object({
  name: nullAsAbsent(z.string()),
  address: nullAsAbsent(z.string()),
}));

export const MessageSummary = lazily(() => z.object({
  id: z.string(),
  subject: nullAsAbsent(z.string()),
  from: nullAsAbsent(Address()),
  receivedDateTime: nullAsAbsent(z.string()),
  isRead: nullAsAbsent(z.boolean()),
  hasAttachments: nullAsAbsent(z.boolean()),
  importance: nullAsAbsent(z.string()),
  bodyPreview: nullAsAbsent(z.string()).describe('First 255 characters of the body, as text'),
  webLink: nullAsAbsent(z.string()),
}));

export type MessageSummary = z.input<ReturnType<typeof MessageSummary>>;

/** The fields a summary needs, so nothing else (bodies above all) travels. */
export const SUMMARY_SELECT = 'id,subject,from,receivedDateTime,isRead,hasAttachments,bodyPreview,importance,webLink';

export function toAddress(recipient: MicrosoftGraph.Recipient | null | undefined): z.input<ReturnType<typeof Address>> | undefined {
  const email = recipient?.emailAddress;
  if (email === undefined || email === null) return undefined;
  return { name: email.name, address: email.address };
}

export function formatAddress(address: z.input<ReturnType<typeof Address>> | null | undefined): string {
  if (address === undefined || address === null) return '(unknown)';
  if (address.name && address.address) return `${address.name} <${address.address}>`;
  return address.name ?? address.address ?? '(unknown)';
}

export function toSummary(message: MicrosoftGraph.Message): MessageSummary {
  return {
    id: message.id ?? '',
    subject: message.subject,
    from: toAddress(message.from),
    receivedDateTime: message.receivedDateTime,
    isRead: message.isRead,
    hasAttachments: message.hasAttachments,
    importance: message.importance,
    bodyPreview: message.bodyPreview,
    webLink: message.webLink,
  };
}

const PREVIEW_CHARS = 100;

/** Two lines per message: what a person scans an inbox for, then the start of the body. */
export function summaryLines(summary: MessageSummary): string {
  const flags = [
    summary.isRead === false ? 'unread' : undefined,
    summary.importance === 'high' ? 'important' : undefined,
    summary.hasAttachments === true ? 'attachments' : undefined,
  ].filter((flag) => flag !== undefined);
  const head = `- ${summary.receivedDateTime ?? '(no date)'} ${formatAddress(summary.from)}: ${summary.subject || '(no subject)'}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''} (id ${summary.id})`;
  const preview = (summary.bodyPreview ?? '').replace(/\s+/g, ' ').trim();
  if (preview === '') return head;
  return `${head}\n  ${preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS)}…` : preview}`;
}

/** The text of a page of summaries, with where to go next. */
export function summaryPageText(summaries: readonly MessageSummary[], empty: string, nextCursor: string | undefined): string {
  if (summaries.length === 0) return empty;
  const lines = summaries.map(summaryLines);
  if (nextCursor !== undefined) lines.push(`More messages: call again with cursor ${nextCursor}`);
  return lines.join('\n');
}
