// find_meeting_times: times in a window when the signed-in user and the attendees are free, as Exchange suggests them.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { attendeesInput, checkWindow, instantInput, optionalTimeZone, preferTimeZone, utcDateTime } from './calendarSchemas.js';
import { localDateTime, when } from './eventFields.js';
import { lazily } from '../schemas.js';

const MAX_WINDOW_DAYS = 62;

const Suggestion = lazily(() => z.object({
  start: z.string(),
  end: z.string(),
  confidence: z.number().describe('0-100'),
  organizerAvailability: z.string(),
  attendees: z.array(z.object({ email: z.string(), availability: z.string() })),
}));

export const findMeetingTimes = defineTool({
  name: 'find_meeting_times',
  title: 'Find meeting times',
  description: 'Suggest meeting times in a window when you and the attendees are free, using their free/busy and working hours.',
  scopes: ['Calendars.Read'],
  input: () => z.object({
    attendees: attendeesInput(1, 20).describe('1-20 people to meet, each once'),
    start: instantInput().describe('Window start, ISO 8601 with Z or offset'),
    end: instantInput().describe('Window end, at most 62 days after start'),
    duration: z.number().int().min(5).max(1440).default(30).describe('Meeting length in minutes, 5-1440'),
    maxCandidates: z.number().int().min(1).max(20).default(5).describe('Most suggestions to return, 1-20'),
    workingHoursOnly: z.boolean().default(true).describe('Only within working hours'),
    timeZone: optionalTimeZone(),
  }),
  output: () => z.object({ suggestions: z.array(Suggestion()), timeZone: z.string(), emptySuggestionsReason: z.string().optional() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const { startMs, endMs } = checkWindow(input.start, input.end, MAX_WINDOW_DAYS);
    const minutes = input.duration;
    if (minutes * 60_000 > endMs - startMs) throw new GraphError('bad_request', 'duration is longer than the window from start to end');
    const result = await graph.post<MicrosoftGraph.MeetingTimeSuggestionsResult>('/me/findMeetingTimes', {
      attendees: input.attendees.map((attendee) => ({ type: attendee.type, emailAddress: { address: attendee.email } })),
      timeConstraint: {
        activityDomain: input.workingHoursOnly ? 'work' : 'unrestricted',
        timeSlots: [{ start: utcDateTime(startMs), end: utcDateTime(endMs) }],
      },
      meetingDuration: `PT${Math.floor(minutes / 60)}H${minutes % 60}M`,
      maxCandidates: input.maxCandidates,
      isOrganizerOptional: false,
      returnSuggestionReasons: false,
    }, { headers: preferTimeZone(input.timeZone) });
    const suggestions = (result.meetingTimeSuggestions ?? []).slice(0, input.maxCandidates).map((suggestion) => ({
      start: localDateTime(suggestion.meetingTimeSlot?.start),
      end: localDateTime(suggestion.meetingTimeSlot?.end),
      confidence: suggestion.confidence ?? 0,
      organizerAvailability: suggestion.organizerAvailability ?? 'unknown',
      attendees: (suggestion.attendeeAvailability ?? []).map((entry) => ({
        email: entry.attendee?.emailAddress?.address ?? '',
        availability: entry.availability ?? 'unknown',
      })),
    }));
    const timeZone = result.meetingTimeSuggestions?.[0]?.meetingTimeSlot?.start?.timeZone ?? input.timeZone;
    const reason = result.emptySuggestionsReason ?? undefined;
    const text = suggestions.length === 0
      ? `No suitable times found${reason ? ` (${reason})` : ''}.`
      : suggestions.map((suggestion) => `${when(suggestion.start, suggestion.end, timeZone)} (confidence ${suggestion.confidence}%)`).join('\n');
    return { structured: { suggestions, timeZone, ...(reason !== undefined && reason !== '' && { emptySuggestionsReason: reason }) }, text };
  },
});
