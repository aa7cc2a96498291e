// What reply_to_message and forward_message share: a draft Graph composes from the original, sent only when asked.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import type { Graph } from '../../graph/createGraph.js';
import { GraphError } from '../../graph/graphError.js';
import { graphId, lazily, nullAsAbsent } from '../schemas.js';

export const respondFields = lazily(() => ({
  id: graphId().describe('Message id from list_messages or search_messages'),
  comment: z.string().max(100_000).default('').describe('Your text, as plain text, above the quoted original'),
  send: z.boolean().default(false).describe('true sends at once; by default it is saved in Drafts for the user to review'),
}));

export const RespondOutput = lazily(() => z.object({
  sent: z.boolean(),
  draftId: z.string().optional().describe('The draft in Drafts, when not sent'),
  subject: nullAsAbsent(z.string()),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  webLink: z.string().optional().describe('Opens the draft in Outlook on the web'),
}));
export type RespondOutput = z.input<ReturnType<typeof RespondOutput>>;

/** Where to look when a send's outcome is unknown: it went out, or it waits in Drafts. */
export const RESPOND_CHECK_OUTCOME = 'look in Sent Items, then Drafts (list_messages with folder sentitems, then drafts)';

const addressesOf = (recipients: MicrosoftGraph.Recipient[] | null | undefined): string[] =>
  (recipients ?? []).map((recipient) => recipient.emailAddress?.address).filter((address): address is string => typeof address === 'string' && address !== '');

/** Every recipient of a successful call's message, for the audit row: Graph chose them for a reply, the caller for a forward. */
export const respondRecipients = (_input: unknown, output: z.output<ReturnType<typeof RespondOutput>> | undefined): string[] =>
  output === undefined ? [] : [...output.to, ...output.cc];

/**
 * Posts `action` (createReply, createReplyAll or createForward) on the user's message, then sends the draft when
 * `send` is true. Throws `GraphError` as Graph answers (`not_found` for a message that is not the user's,
 * `upstream_invalid` for a draft without an id); a send
 * that fails after the draft was saved says so and names the draft, so nobody sends it twice.
 */
export async function respondByMail(graph: Graph, action: string, input: { id: string; send: boolean }, body: Record<string, unknown>): Promise<RespondOutput> {
  const draft = await graph.post<MicrosoftGraph.Message>(`/me/messages/${encodeURIComponent(input.id)}/${action}`, body);
  const draftId = draft.id;
  // The id goes into the send's path: an answer without one cannot be sent, nor named to the user.
  if (typeof draftId !== 'string' || draftId === '') throw new GraphError('upstream_invalid', 'Microsoft Graph saved the draft without giving its id; look in Drafts');
  const composed = { subject: draft.subject, to: addressesOf(draft.toRecipients), cc: addressesOf(draft.ccRecipients) };
  if (!input.send) return { sent: false, draftId, ...composed, ...(draft.webLink ? { webLink: draft.webLink } : {}) };
  if (composed.to.length + composed.cc.length === 0) {
    throw new GraphError('bad_request', `The message has no one to send it to; it is saved in Drafts (id ${draftId}) and was not sent.`);
  }
  try {
    // 202 with no body: accepted for delivery; Exchange keeps the sent copy in Sent Items under a new id.
    await graph.post(`/me/messages/${encodeURIComponent(draftId)}/send`, {});
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    // The draft's id leads, so cutting a long Graph message cannot lose it.
    throw new GraphError(error.code, `Saved in Drafts (id ${draftId}) but not sent; send that draft from Outlook rather than calling again, which would save another. ${error.message}`, {
      cause: error, status: error.status, requestId: error.requestId, graphCode: error.graphCode, retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  return { sent: true, ...composed };
}

/** One line saying what happened and to whom. */
export function respondText(what: string, output: RespondOutput): string {
  const who = [...output.to, ...output.cc];
  const to = who.length === 0 ? 'no recipients yet' : who.join(', ');
  const subject = output.subject || '(no subject)';
  return output.sent
    ? `Sent ${what} "${subject}" to ${to}; a copy is in Sent Items.`
    : `Saved ${what} "${subject}" in Drafts for ${to} (id ${output.draftId ?? ''})${output.webLink ? `; review and send it at ${output.webLink}` : ''}. Nothing was sent.`;
}
