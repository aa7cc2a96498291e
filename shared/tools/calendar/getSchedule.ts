// get_schedule: free/busy of people (or rooms) over a window: busy blocks and a per-interval availability string, no meeting details.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { addressesInput, checkWindow, instantInput, optionalTimeZone, preferTimeZone, utcDateTime } from './calendarSchemas.js';
import { localDateTime, when } from './eventFields.js';
import { lazily } from '../schemas.js';

const MAX_WINDOW_DAYS = 62;

const Schedule = lazily(() => z.object({
  email: z.string(),
  availabilityView: z.string().describe('Per interval: 0 free, 1 tentative, 2 busy, 3 away'),
  items: z.array(z.object({ status: z.string(), start: z.string(), end: z.string() })),
  error: z.string().optional(),
}));

export const getSchedule = defineTool({
  name: 'get_schedule',
  title: 'Get free/busy schedule',
  description: 'Free/busy of up to 20 people or rooms over a window: busy blocks and an availability digit per interval.',
  scopes: ['Calendars.Read'],
  input: () => z.object({
    schedules: addressesInput(1, 20).describe('Email addresses of 1-20 people or rooms'),
    start: instantInput().describe('Window start, ISO 8601 with Z or offset'),
    end: instantInput().describe('Window end, at most 62 days after start'),
    intervalMinutes: z.number().int().min(5).max(1440).default(30).describe('Minutes each availabilityView digit covers, 5-1440'),
    timeZone: optionalTimeZone(),
  }),
  output: () => z.object({ schedules: z.array(Schedule()), timeZone: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const { startMs, endMs } = checkWindow(input.start, input.end, MAX_WINDOW_DAYS);
    const result = await graph.post<{ value?: MicrosoftGraph.ScheduleInformation[] }>('/me/calendar/getSchedule', {
      schedules: input.schedules,
      startTime: utcDateTime(startMs),
      endTime: utcDateTime(endMs),
      availabilityViewInterval: input.intervalMinutes,
    }, { headers: preferTimeZone(input.timeZone) });
    // Only status and times: subjects and locations Graph may add for calendars shared with the caller stay out.
    const schedules = (result.value ?? []).map((schedule) => ({
      email: schedule.scheduleId ?? '',
      availabilityView: schedule.availabilityView ?? '',
      items: (schedule.scheduleItems ?? []).map((item) => ({ status: item.status ?? 'unknown', start: localDateTime(item.start), end: localDateTime(item.end) })),
      ...(schedule.error != null && { error: `${schedule.error.responseCode ?? 'error'}: ${schedule.error.message ?? ''}` }),
    }));
    const timeZone = result.value?.flatMap((schedule) => schedule.scheduleItems ?? [])[0]?.start?.timeZone ?? input.timeZone;
    const text = schedules.map((schedule) => schedule.error !== undefined
      ? `${schedule.email}: unavailable (${schedule.error})`
      : `${schedule.email}: ${schedule.items.length === 0 ? 'free' : schedule.items.map((item) => `${item.status} ${when(item.start, item.end, timeZone)}`).join(', ')}`).join('\n');
    return { structured: { schedules, timeZone }, text };
  },
});
