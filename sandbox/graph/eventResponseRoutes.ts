// Local Graph: an invitee's answer to a meeting (accept, tentativelyAccept, decline) and the response mail the organizer gets.
import { randomUUID } from 'node:crypto';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { isObject, mailFolderId, webLinkFor } from './mailRoutes.js';

const ANSWERS: Readonly<Record<string, { status: MicrosoftGraph.ResponseType; showAs?: MicrosoftGraph.FreeBusyStatus; prefix: string }>> = {
  accept: { status: 'accepted', showAs: 'busy', prefix: 'Accepted' },
  tentativelyaccept: { status: 'tentativelyAccepted', showAs: 'tentative', prefix: 'Tentative' },
  decline: { status: 'declined', prefix: 'Declined' },
};

/** Graph's action parameters are case-insensitive (`SendResponse` and `sendResponse` both work). */
function parameter(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
}

function respond({ data, params, body, tenantUsers }: GraphContext): GraphReply {
  let id: string;
  try {
    id = decodeURIComponent(params[0] ?? '');
  } catch {
    return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  }
  const answer = ANSWERS[(params[1] ?? '').toLowerCase()];
  const event = data.events.find((candidate) => candidate.id === id);
  if (event === undefined || answer === undefined) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const input = body ?? {};
  if (!isObject(input)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  const comment = parameter(input, 'comment') ?? '';
  const sendResponse = parameter(input, 'sendResponse') ?? true;
  if (typeof comment !== 'string' || typeof sendResponse !== 'boolean') {
    return graphError(400, 'RequestBodyRead', 'comment must be a string and sendResponse a boolean.');
  }
  if (event.isOrganizer === true) {
    return graphError(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. You can\'t respond to this meeting because you\'re the meeting organizer.');
  }
  if (event.isCancelled === true) return graphError(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. This meeting has been canceled.');
  const now = new Date().toISOString();
  if (answer.status === 'declined') {
    // Exchange takes a declined meeting off the invitee's calendar.
    data.events.splice(data.events.indexOf(event), 1);
  } else {
    event.responseStatus = { response: answer.status, time: now };
    if (answer.showAs !== undefined) event.showAs = answer.showAs;
  }
  const organizer = event.organizer?.emailAddress?.address?.toLowerCase();
  const mailbox = sendResponse ? tenantUsers.find((candidate) => candidate.user.upn.toLowerCase() === organizer) : undefined;
  if (mailbox !== undefined) {
    const messageId = `${mailbox.user.key}-msg-${randomUUID()}=`;
    const me: MicrosoftGraph.Recipient = { emailAddress: { name: data.profile.displayName ?? data.user.name, address: data.user.upn } };
    mailbox.messages.push({
      id: messageId,
      createdDateTime: now,
      lastModifiedDateTime: now,
      receivedDateTime: now,
      sentDateTime: now,
      hasAttachments: false,
      subject: `${answer.prefix}: ${event.subject ?? ''}`,
      bodyPreview: comment.slice(0, 255),
      importance: 'normal',
      parentFolderId: mailFolderId(mailbox, 'inbox'),
      conversationId: `${mailbox.user.key}-conv-${randomUUID()}`,
      isRead: false,
      isDraft: false,
      webLink: webLinkFor(messageId),
      body: { contentType: 'text', content: comment },
      from: me,
      sender: me,
      toRecipients: [{ emailAddress: { name: event.organizer?.emailAddress?.name ?? '', address: mailbox.user.upn } }],
      ccRecipients: [],
      bccRecipients: [],
      replyTo: [],
      attachments: [],
    });
  }
  return { status: 202 };
}

export const eventResponseRoutes: readonly GraphRoute[] = [
  { method: 'POST', pattern: /^\/me\/events\/([^/]+)\/(accept|tentativelyAccept|decline)$/i, anyScope: ['Calendars.ReadWrite'], handle: respond },
];
