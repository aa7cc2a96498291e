// The organizer rule of calendar writes: only the organizer changes or cancels a meeting. Graph lets an attendee patch
// their own copy, which then silently disagrees with everyone else's; it answers an attendee's cancel with a bare 400.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { GraphError } from '../../graph/graphError.js';
import type { Graph } from '../../graph/createGraph.js';

export const NOT_ORGANIZER_CANCEL = 'Only the organizer can cancel a meeting, and you are an attendee of this one: decline it instead (for example in Outlook).';
export const NOT_ORGANIZER_UPDATE = 'Only the organizer can change a meeting, and you are an attendee of this one: ask the organizer, or propose a new time (for example in Outlook).';

/**
 * Reads the event's subject and organizer flag. Throws `GraphError` `bad_request` with `notOrganizer` when the
 * user does not organize it, and whatever reading it throws (`not_found` for someone else's event).
 */
export async function requireOrganizer(graph: Graph, path: string, notOrganizer: string): Promise<MicrosoftGraph.Event> {
  const event = await graph.get<MicrosoftGraph.Event>(path, { query: { $select: 'subject,isOrganizer' } });
  if (event.isOrganizer !== true) throw new GraphError('bad_request', notOrganizer);
  return event;
}
