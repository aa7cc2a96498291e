// Local Graph: replies and forwards as Exchange makes them (createReply, createReplyAll, createForward) and sending a draft.
import { randomUUID } from 'node:crypto';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { decodeId, isObject, mailFolderId, present, previewOf, readRecipients, webLinkFor, type StoredMessage } from './mailRoutes.js';
import type { UserData } from './userData.js';

type Action = 'createreply' | 'createreplyall' | 'createforward';

const NOT_FOUND = (): GraphReply => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const addressOf = (recipient: MicrosoftGraph.Recipient): string => (recipient.emailAddress?.address ?? '').toLowerCase();

/** Each address once, in order, leaving out `except`. */
function distinct(recipients: readonly MicrosoftGraph.Recipient[], except: ReadonlySet<string>): MicrosoftGraph.Recipient[] {
  const seen = new Set(except);
  return recipients.filter((recipient) => {
    const address = addressOf(recipient);
    if (address === '' || seen.has(address)) return false;
    seen.add(address);
    return true;
  });
}

/** Who Exchange addresses a reply to: Reply-To when the sender set one, else the sender; reply-all adds To and Cc, never the user. */
function replyRecipients(data: UserData, original: StoredMessage, all: boolean): { to: MicrosoftGraph.Recipient[]; cc: MicrosoftGraph.Recipient[] } {
  const sender = original.replyTo !== undefined && original.replyTo !== null && original.replyTo.length > 0
    ? original.replyTo
    : original.from === undefined || original.from === null ? [] : [original.from];
  if (!all) return { to: distinct(sender, new Set()), cc: [] };
  const me = new Set([data.user.upn.toLowerCase()]);
  const to = distinct([...sender, ...(original.toRecipients ?? [])], me);
  const cc = distinct(original.ccRecipients ?? [], new Set([...me, ...to.map(addressOf)]));
  // Replying to all on the user's own message goes to its recipients; with none left, to the sender alone.
  return { to: to.length > 0 ? to : distinct(sender, new Set()), cc };
}

/** The original, quoted under the comment, as Outlook quotes it. */
function quoted(comment: string, original: StoredMessage): MicrosoftGraph.ItemBody {
  const body = original.body?.contentType === 'html' ? original.body.content ?? '' : `<pre>${escapeHtml(original.body?.content ?? '')}</pre>`;
  const from = original.from?.emailAddress;
  const header = `<b>From:</b> ${escapeHtml(from?.name ?? '')} &lt;${escapeHtml(from?.address ?? '')}&gt;<br><b>Subject:</b> ${escapeHtml(original.subject ?? '')}`;
  return { contentType: 'html', content: `<html><body><div>${escapeHtml(comment)}</div><hr><div>${header}</div>${body}</body></html>` };
}

function createResponse({ data, params, body }: GraphContext): GraphReply {
  const id = decodeId(params[0]);
  if (id === undefined) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  const action = (params[1] ?? '').toLowerCase() as Action;
  const original = data.messages.find((message) => message.id === id);
  if (original === undefined) return NOT_FOUND();
  const input = body ?? {};
  if (!isObject(input)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  const comment = input['comment'] ?? '';
  if (typeof comment !== 'string') return graphError(400, 'RequestBodyRead', 'Cannot convert the literal to the expected type \'Edm.String\'.');
  const message = input['message'] ?? {};
  if (!isObject(message)) return graphError(400, 'RequestBodyRead', 'Invalid value for \'message\'.');
  if (input['comment'] !== undefined && message['body'] !== undefined) {
    return graphError(400, 'ErrorInvalidRequest', 'Specify either a comment or the body property of the message parameter, not both.');
  }
  let { to, cc } = action === 'createforward' ? { to: [], cc: [] } : replyRecipients(data, original, action === 'createreplyall');
  for (const [property, given] of [['toRecipients', input['toRecipients'] ?? message['toRecipients']], ['ccRecipients', message['ccRecipients']]] as const) {
    if (given === undefined) continue;
    const recipients = readRecipients(given, property);
    if (!Array.isArray(recipients)) return recipients;
    if (property === 'toRecipients') to = recipients;
    else cc = recipients;
  }
  const now = new Date().toISOString();
  const draftId = `${data.user.key}-msg-${randomUUID()}=`;
  const forward = action === 'createforward';
  const attachments = forward ? (original.attachments ?? []).map((attachment, index) => ({ ...attachment, id: `${draftId}-att-${index}` })) : [];
  const draftBody = quoted(comment, original);
  const draft: StoredMessage = {
    id: draftId,
    createdDateTime: now,
    lastModifiedDateTime: now,
    receivedDateTime: now,
    sentDateTime: null,
    hasAttachments: attachments.some((attachment) => attachment.isInline !== true),
    internetMessageId: `<${randomUUID()}@${data.user.upn.split('@')[1] ?? 'example.com'}>`,
    subject: `${forward ? 'FW' : 'RE'}: ${original.subject ?? ''}`,
    bodyPreview: previewOf(draftBody),
    importance: 'normal',
    parentFolderId: mailFolderId(data, 'drafts'),
    conversationId: original.conversationId ?? null,
    isRead: true,
    isDraft: true,
    webLink: webLinkFor(draftId),
    body: draftBody,
    from: null,
    sender: null,
    toRecipients: to,
    ccRecipients: cc,
    bccRecipients: [],
    replyTo: [],
    attachments,
  };
  data.messages.push(draft);
  return { status: 201, body: present(draft, false) };
}

/** Moves a draft to Sent Items under a new id, as Exchange does, and delivers it to same-tenant sample users' inboxes. */
function sendDraft({ data, params, tenantUsers }: GraphContext): GraphReply {
  const id = decodeId(params[0]);
  if (id === undefined) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  const draft = data.messages.find((message) => message.id === id);
  if (draft === undefined) return NOT_FOUND();
  if (draft.isDraft !== true) return graphError(400, 'ErrorInvalidRequest', 'Only a draft can be sent.');
  const everyone = [...(draft.toRecipients ?? []), ...(draft.ccRecipients ?? []), ...(draft.bccRecipients ?? [])];
  if (everyone.length === 0) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  const now = new Date().toISOString();
  const sender: MicrosoftGraph.Recipient = { emailAddress: { name: data.profile.displayName ?? data.user.name, address: data.user.upn } };
  const sentId = `${data.user.key}-msg-${randomUUID()}=`;
  const sent: StoredMessage = { ...draft, id: sentId, webLink: webLinkFor(sentId), parentFolderId: mailFolderId(data, 'sentitems'), isDraft: false, from: sender, sender, sentDateTime: now };
  data.messages.splice(data.messages.indexOf(draft), 1, sent);
  const delivered = new Set<string>();
  for (const recipient of everyone) {
    const address = addressOf(recipient);
    const mailbox = tenantUsers.find((candidate) => candidate.user.upn.toLowerCase() === address);
    if (mailbox === undefined || delivered.has(address)) continue;
    delivered.add(address);
    const copyId = `${mailbox.user.key}-msg-${randomUUID()}=`;
    mailbox.messages.push({
      ...sent,
      id: copyId,
      parentFolderId: mailFolderId(mailbox, 'inbox'),
      isRead: false,
      bccRecipients: [],
      webLink: webLinkFor(copyId),
      attachments: (sent.attachments ?? []).map((attachment, index) => ({ ...attachment, id: `${copyId}-att-${index}` })),
    });
  }
  return { status: 202 };
}

export const replyRoutes: readonly GraphRoute[] = [
  { method: 'POST', pattern: /^\/me\/messages\/([^/]+)\/(createReply|createReplyAll|createForward)$/i, anyScope: ['Mail.ReadWrite'], handle: createResponse },
  { method: 'POST', pattern: /^\/me\/messages\/([^/]+)\/send$/i, anyScope: ['Mail.Send'], handle: sendDraft },
];
