// How a Graph event becomes tool output: the fields every calendar tool returns, and their one-line rendering.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { lazily } from '../schemas.js';

/** What `toEventSummary` reads; keep in step with it. */
export const EVENT_SUMMARY_SELECT = 'subject,start,end,location,organizer,isAllDay,isCancelled,showAs,webLink,onlineMeeting';

export const eventSummaryOutput = lazily(() => z.object({
  id: z.string(),
  subject: z.string(),
  start: z.string().describe('Local date and time in timeZone'),
  end: z.string(),
  timeZone: z.string(),
  location: z.string().optional(),
  organizer: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
  isAllDay: z.boolean(),
  isCancelled: z.boolean(),
  showAs: z.string().describe('e.g. free, busy, tentative, oof'),
  webLink: z.string().optional(),
  joinUrl: z.string().optional(),
}));
export type EventSummary = z.input<ReturnType<typeof eventSummaryOutput>>;

/** Graph writes seven fractional digits ("09:00:00.0000000"); nobody needs them. */
export function localDateTime(value: MicrosoftGraph.DateTimeTimeZone | null | undefined): string {
  return (value?.dateTime ?? '').replace(/\.0+$/, '');
}

export function nameAndEmail(recipient: MicrosoftGraph.Recipient | null | undefined): { name?: string; email?: string } | undefined {
  const name = recipient?.emailAddress?.name ?? undefined;
  const email = recipient?.emailAddress?.address ?? undefined;
  if (name === undefined && email === undefined) return undefined;
  return { ...(name !== undefined && { name }), ...(email !== undefined && { email }) };
}

export function toEventSummary(event: MicrosoftGraph.Event): EventSummary {
  const location = event.location?.displayName ?? undefined;
  const organizer = nameAndEmail(event.organizer);
  const joinUrl = event.onlineMeeting?.joinUrl ?? undefined;
  return {
    id: event.id ?? '',
    subject: event.subject ?? '',
    start: localDateTime(event.start),
    end: localDateTime(event.end),
    // Every call asks Graph for one zone (Prefer: outlook.timezone), so start and end share it.
    timeZone: event.start?.timeZone ?? 'UTC',
    ...(location !== undefined && location !== '' && { location }),
    ...(organizer !== undefined && { organizer }),
    isAllDay: event.isAllDay ?? false,
    isCancelled: event.isCancelled ?? false,
    showAs: event.showAs ?? 'unknown',
    ...(event.webLink != null && { webLink: event.webLink }),
    ...(joinUrl !== undefined && { joinUrl }),
  };
}

/** `2025-03-10 09:00-09:30 UTC`, for text renderings. */
export function when(start: string, end: string, timeZone: string, isAllDay = false): string {
  const [startDay = '', startTime = ''] = start.split('T');
  const [endDay = '', endTime = ''] = end.split('T');
  if (isAllDay) return `${startDay} all day`;
  const to = endDay === startDay ? endTime.slice(0, 5) : `${endDay} ${endTime.slice(0, 5)}`;
  return `${startDay} ${startTime.slice(0, 5)}-${to} ${timeZone}`;
}

/** One line per event for the text rendering; never the body. */
export function eventLine(event: EventSummary): string {
  const flags = [event.isCancelled === true && 'cancelled', event.showAs !== 'busy' && event.showAs].filter(Boolean).join(', ');
  return `${when(event.start, event.end, event.timeZone, event.isAllDay)}: ${event.subject || '(no subject)'}`
    + `${event.location ? ` @ ${event.location}` : ''}${flags ? ` [${flags}]` : ''} (id ${event.id})`;
}
