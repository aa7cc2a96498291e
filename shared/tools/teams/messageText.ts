// A Teams message as plain text: HTML converted, @mentions as the names they point at, attachments named, length capped.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { capText } from '../../documents/capText.js';
import { convertedOrNotShown, type DocumentContext } from '../documentText.js';
import { lazily } from '../schemas.js';

/** Per message: a list of 50 stays readable in one turn; the rest is in Teams. */
export const MAX_MESSAGE_CHARS = 4_000;

// Teams writes `<at id="0">Megan</at>`; bounded, so a hostile body cannot make the scan quadratic.
const MENTION = /<at\s+id="?(\d{1,6})"?\s*>([^<]{0,500})<\/at>/gi;
const ATTACHMENT = /<attachment\s+id="([^"<>]{1,200})"\s*>\s*<\/attachment>/gi;
const BETWEEN_MENTIONS = /^(?:\s|&nbsp;)*$/;

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function mentionedName(mention: MicrosoftGraph.ChatMessageMention | undefined, fallback: string): { key: string; name: string } {
  const who = mention?.mentioned;
  const identity = who?.user ?? who?.application ?? who?.conversation ?? undefined;
  const name = identity?.displayName ?? mention?.mentionText ?? fallback;
  return { key: identity?.id ?? name, name };
}

/**
 * Replaces each mention with `@Display Name`. Teams splits a person's name into one mention per word
 * ("Megan", "Bowen", same user): a run of mentions of one identity becomes one name.
 */
function renderMentions(html: string, mentions: readonly MicrosoftGraph.ChatMessageMention[]): string {
  const byId = new Map(mentions.map((mention) => [String(mention.id), mention]));
  let out = '';
  let last = 0;
  let previousKey: string | undefined;
  for (const match of html.matchAll(MENTION)) {
    const start = match.index;
    const between = html.slice(last, start);
    const { key, name } = mentionedName(byId.get(match[1] ?? ''), match[2] ?? '');
    const sameRun = previousKey === key && BETWEEN_MENTIONS.test(between);
    out += sameRun ? '' : `${between}@${escapeHtml(name)}`;
    previousKey = key;
    last = start + match[0].length;
  }
  return out + html.slice(last);
}

function renderAttachments(html: string, attachments: readonly MicrosoftGraph.ChatMessageAttachment[]): string {
  const byId = new Map(attachments.map((attachment) => [attachment.id ?? '', attachment]));
  return html.replace(ATTACHMENT, (_tag, id: string) => {
    const attachment = byId.get(id);
    return escapeHtml(`[attachment: ${attachment?.name ?? attachment?.contentType ?? 'file'}]`);
  });
}

type MessageLike = Pick<MicrosoftGraph.ChatMessage, 'body' | 'mentions' | 'attachments' | 'messageType' | 'eventDetail' | 'deletedDateTime'>;

/** What a person would read in Teams, as text, up to `maxChars`; system events by their kind. */
export async function messageText(message: MessageLike, context: DocumentContext, maxChars = MAX_MESSAGE_CHARS): Promise<string> {
  return (await messageContent(message, context, maxChars)).text;
}

async function messageContent(message: MessageLike, context: DocumentContext, maxChars: number): Promise<{ text: string; truncated: boolean }> {
  if (message.deletedDateTime != null) return { text: '(deleted)', truncated: false };
  if (message.messageType === 'systemEventMessage') {
    // Every event detail carries its @odata.type, which the generated types leave out.
    const detail: { readonly '@odata.type'?: unknown } | null | undefined = message.eventDetail;
    const type = typeof detail?.['@odata.type'] === 'string' ? detail['@odata.type'] : '';
    const kind = type.replace(/^#microsoft\.graph\./, '').replace(/EventMessageDetail$/, '');
    return { text: `(event${kind === '' ? '' : `: ${kind}`})`, truncated: false };
  }
  const content = message.body?.content ?? '';
  if (message.body?.contentType !== 'html') return capText(content.trim(), maxChars);
  const html = renderAttachments(renderMentions(content, message.mentions ?? []), message.attachments ?? []);
  return convertedOrNotShown(context, { format: 'html', content: html, name: 'The message', maxChars }, 'message');
}

/** The sender's display name: a person, an app (bot) or a device. */
export function senderName(from: MicrosoftGraph.ChatMessageFromIdentitySet | null | undefined): string | undefined {
  return from?.user?.displayName ?? from?.application?.displayName ?? from?.device?.displayName ?? undefined;
}

export const MessageOutput = lazily(() => z.object({
  id: z.string(),
  from: z.string().optional(),
  createdDateTime: z.string().optional(),
  text: z.string().describe('Plain text, @mentions as names'),
  truncated: z.boolean().optional().describe(`true when text was cut at ${MAX_MESSAGE_CHARS} characters; absent otherwise`),
}));

export type MessageSummary = z.input<ReturnType<typeof MessageOutput>>;

/** The fields every message listing returns. */
export async function toMessageSummary(message: MicrosoftGraph.ChatMessage, context: DocumentContext): Promise<MessageSummary> {
  const { text, truncated } = await messageContent(message, context, MAX_MESSAGE_CHARS);
  const from = senderName(message.from);
  return {
    id: message.id ?? '',
    ...(from !== undefined && { from }),
    ...(message.createdDateTime != null && { createdDateTime: message.createdDateTime }),
    text,
    ...(truncated && { truncated: true }),
  };
}

/** One line per message for the text rendering: when, who, what. */
export function messageLine(message: MessageSummary): string {
  return `- ${message.createdDateTime ?? '(no date)'} ${message.from ?? '(unknown)'}: ${message.text.replace(/\s+/g, ' ')} (id ${message.id})`;
}
