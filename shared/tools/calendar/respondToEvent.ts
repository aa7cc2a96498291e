// respond_to_event: accept, tentatively accept or decline a meeting the user was invited to, optionally telling the organizer.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { graphId } from '../schemas.js';

/** Graph's action for each answer, and the response status the event then shows. */
const ANSWERS = {
  accept: { status: 'accepted', verb: 'Accept', done: 'Accepted' },
  tentativelyAccept: { status: 'tentativelyAccepted', verb: 'Tentatively accept', done: 'Tentatively accepted' },
  decline: { status: 'declined', verb: 'Decline', done: 'Declined' },
} as const;

export const ORGANIZER_CANNOT_RESPOND = 'You organize this meeting, so there is no invitation to answer: change it with update_event or cancel it with cancel_event.';
export const CANCELLED_CANNOT_RESPOND = 'The organizer cancelled this meeting, so it can no longer be answered.';

export const respondToEvent = defineTool({
  name: 'respond_to_event',
  title: 'Answer a meeting invitation',
  description: 'Accept, tentatively accept or decline a meeting you were invited to, with an optional comment to the organizer. Declining removes it from your calendar.',
  scopes: ['Calendars.ReadWrite'],
  input: () => z.object({
    id: graphId().describe('Event id from list_events'),
    response: z.enum(['accept', 'tentativelyAccept', 'decline']),
    comment: z.string().max(2000).optional().describe('Message to the organizer'),
    sendResponse: z.boolean().default(true).describe('false answers without telling the organizer'),
  }),
  output: () => z.object({
    id: z.string(),
    subject: z.string(),
    response: z.string().describe('accepted, tentativelyAccepted or declined'),
    changed: z.boolean().describe('false when the meeting already had this answer: nothing was sent'),
  }),
  // Destructive: a decline takes the meeting off the calendar. Idempotent: an answer the meeting already has is not sent again.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  handler: async (input, { graph }) => {
    const path = `/me/events/${encodeURIComponent(input.id)}`;
    // Graph answers the organizer's own answer with a bare 400, and sends a repeated answer to the organizer again.
    const event = await graph.get<MicrosoftGraph.Event>(path, { query: { $select: 'subject,isOrganizer,isCancelled,responseStatus' } });
    if (event.isOrganizer === true) throw new GraphError('bad_request', ORGANIZER_CANNOT_RESPOND);
    if (event.isCancelled === true) throw new GraphError('bad_request', CANCELLED_CANNOT_RESPOND);
    const answer = ANSWERS[input.response];
    const subject = event.subject ?? '';
    const title = subject || '(no subject)';
    if (event.responseStatus?.response === answer.status) {
      return { structured: { id: input.id, subject, response: answer.status, changed: false }, text: `"${title}" is already ${answer.status}; nothing was sent.` };
    }
    await graph.post(`${path}/${input.response}`, { sendResponse: input.sendResponse, ...(input.comment !== undefined && { comment: input.comment }) });
    const told = input.sendResponse ? 'the organizer was sent your response' : 'the organizer was not told';
    const removed = input.response === 'decline' ? '; it is no longer on your calendar' : '';
    return { structured: { id: input.id, subject, response: answer.status, changed: true }, text: `${answer.done} "${title}"; ${told}${removed}.` };
  },
  // It asks when the answer leaves the user's calendar: a response to the organizer, or a decline that removes the meeting.
  confirm: (input) => input.sendResponse || input.response === 'decline'
    ? {
      action: `${ANSWERS[input.response].verb} meeting ${input.id}${input.sendResponse ? ' and send the organizer your response' : ' without telling the organizer'}${input.response === 'decline' ? '; it leaves your calendar' : ''}`,
      targets: [input.sendResponse ? `The organizer of meeting ${input.id}` : `Your calendar: meeting ${input.id}`],
      ...(input.comment !== undefined && { preview: input.comment }),
    }
    : undefined,
});
