// cancel_event: the organizer cancels a meeting; attendees get a cancellation and it leaves the organizer's calendar.
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { graphId } from '../schemas.js';
import { NOT_ORGANIZER_CANCEL, requireOrganizer } from './organizer.js';

export const cancelEvent = defineTool({
  name: 'cancel_event',
  title: 'Cancel meeting',
  description: 'Cancel an event you organize: attendees are sent a cancellation (with your comment) and it is removed from your calendar.',
  scopes: ['Calendars.ReadWrite'],
  input: () => z.object({
    id: graphId().describe('Event id'),
    comment: z.string().max(2000).optional().describe('Message to attendees'),
  }),
  output: () => z.object({ id: z.string(), subject: z.string(), cancelled: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  confirm: (input) => ({
    action: 'Cancel a meeting you organize: every attendee is sent a cancellation, and it leaves your calendar',
    targets: [`Event: ${input.id}`],
    ...(input.comment !== undefined && { preview: input.comment }),
  }),
  handler: async (input, { graph }) => {
    const path = `/me/events/${encodeURIComponent(input.id)}`;
    // Graph answers an attendee's cancel with a bare 400; checking first lets us say what to do instead.
    const event = await requireOrganizer(graph, path, NOT_ORGANIZER_CANCEL);
    try {
      await graph.post(`${path}/cancel`, input.comment === undefined ? {} : { Comment: input.comment });
    } catch (error) {
      // The organizer may have changed between the two calls.
      if (error instanceof GraphError && error.graphCode === 'ErrorAccessDenied' && error.status === 400) {
        throw new GraphError('bad_request', NOT_ORGANIZER_CANCEL, { cause: error, status: error.status, requestId: error.requestId, graphCode: error.graphCode });
      }
      throw error;
    }
    const subject = event.subject ?? '';
    return { structured: { id: input.id, subject, cancelled: true }, text: `Cancelled "${subject || '(no subject)'}"; attendees were sent a cancellation.` };
  },
});
