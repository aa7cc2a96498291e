// find_meeting_times and get_schedule over a real MCP client: free/busy within the tenant only, never meeting details.
import type { McpClient } from '../../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMeetingTimes } from '../../../shared/tools/calendar/findMeetingTimes.js';
import { getSchedule } from '../../../shared/tools/calendar/getSchedule.js';
import { currentWeekStart } from '../../../sandbox/graph/calendarRoutes.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../../sandbox/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';
import { startStackWithClients, type StackWithClients } from '../../support/toolCalls.js';
import { call, DAY, errorCode, HOUR, iso, MINUTE, structuredOf, utcWall, wallIn } from './calendarTestKit.js';

let stack: TestStack;
const monday = currentWeekStart();

let fixture: StackWithClients;
beforeAll(async () => {
  fixture = await startStackWithClients([ADELE, ALEX, MEGAN]);
  stack = fixture.stack;
});
afterAll(() => fixture.close());

const clientOf = (user: SampleUser): McpClient => fixture.clientOf(user);

describe('get_schedule', () => {
  // Monday 08:00-18:00 UTC in 30-minute digits: Alex has the 09:00 stand-up and the 14:00 campaign review.
  const window = { start: iso(monday + 8 * HOUR), end: iso(monday + 18 * HOUR) };

  it('returns colleagues\' free/busy without subjects, and errors for people outside the tenant', async () => {
    const nobody = 'nobody@contoso.example';
    const result = await call(clientOf(ADELE), 'get_schedule', { schedules: [ALEX.upn, MEGAN.upn, nobody], ...window });
    const { schedules } = structuredOf(result, getSchedule.output);
    expect(schedules.map((schedule) => schedule.email)).toEqual([ALEX.upn, MEGAN.upn, nobody]);
    const [alex, megan, unknown] = schedules;
    expect(alex?.error).toBeUndefined();
    expect(alex?.availabilityView).toBe('00200000000022000000');
    expect(alex?.items).toEqual([
      { status: 'busy', start: utcWall(monday + 9 * HOUR), end: utcWall(monday + 9.5 * HOUR) },
      { status: 'busy', start: utcWall(monday + 14 * HOUR), end: utcWall(monday + 15 * HOUR) },
    ]);
    // Another tenant's user is unknown here: free/busy never crosses tenants.
    expect(megan?.error).toBeDefined();
    expect(megan?.items).toEqual([]);
    expect(unknown?.error).toBeDefined();
    for (const subject of ['Campaign review', 'Retail team stand-up', 'Spring campaign', 'Product roadmap review']) {
      expect(JSON.stringify(result)).not.toContain(subject);
    }
  });

  it('reports out-of-office and tentative digits, and honours the interval and time zone', async () => {
    // Adele's Friday: tentative 09:00-10:30 planning; the cancelled 15:00 vendor review does not count.
    const friday = monday + 4 * DAY;
    const result = await call(clientOf(ALEX), 'get_schedule', { schedules: [ADELE.upn], start: iso(friday + 8 * HOUR), end: iso(friday + 16 * HOUR), intervalMinutes: 60, timeZone: 'Tokyo Standard Time' });
    const { schedules: [adele], timeZone } = structuredOf(result, getSchedule.output);
    expect(timeZone).toBe('Tokyo Standard Time');
    expect(adele?.availabilityView).toBe('01100000');
    expect(adele?.items).toEqual([{ status: 'tentative', start: wallIn(friday + 9 * HOUR, 'Asia/Tokyo'), end: wallIn(friday + 10.5 * HOUR, 'Asia/Tokyo') }]);
    expect(JSON.stringify(result)).not.toMatch(/Quarterly planning|Vendor review|Confidential/);
    const thursday = structuredOf(await call(clientOf(ALEX), 'get_schedule', { schedules: [ADELE.upn], start: iso(monday + 3 * DAY), end: iso(monday + 4 * DAY), intervalMinutes: 1440 }), getSchedule.output);
    expect(thursday.schedules[0]?.availabilityView).toBe('3');
  });

  it('keeps another tenant\'s user out of this tenant\'s schedules', async () => {
    const { schedules } = structuredOf(await call(clientOf(MEGAN), 'get_schedule', { schedules: [ADELE.upn, ALEX.upn], ...window }), getSchedule.output);
    expect(schedules.every((schedule) => schedule.error !== undefined && schedule.items.length === 0 && schedule.availabilityView === '')).toBe(true);
  });

  it('refuses too many schedules, bad addresses and long windows', async () => {
    const many = Array.from({ length: 21 }, (_, index) => `user${index}@contoso.example`);
    expect(errorCode(await call(clientOf(ADELE), 'get_schedule', { schedules: many, ...window }))).toBe('input_invalid');
    expect(errorCode(await call(clientOf(ADELE), 'get_schedule', { schedules: ['not an address'], ...window }))).toBe('input_invalid');
    expect(errorCode(await call(clientOf(ADELE), 'get_schedule', { schedules: [ALEX.upn], ...window, intervalMinutes: 2 }))).toBe('input_invalid');
    const long = await call(clientOf(ADELE), 'get_schedule', { schedules: [ALEX.upn], start: window.start, end: iso(monday + 63 * DAY) });
    expect(errorCode(long)).toBe('bad_request');
  });
});

describe('find_meeting_times', () => {
  const morning = { start: iso(monday + 8 * HOUR), end: iso(monday + 12 * HOUR) };

  it('suggests times when the caller and the attendees are free', async () => {
    const result = await call(clientOf(ADELE), 'find_meeting_times', { attendees: [{ email: ALEX.upn }], ...morning, duration: 60 });
    const { suggestions, emptySuggestionsReason, timeZone } = structuredOf(result, findMeetingTimes.output);
    expect(emptySuggestionsReason).toBeUndefined();
    expect(timeZone).toBe('UTC');
    // Both are at the 09:00-09:30 stand-up; 60-minute slots on the half hour around it.
    expect(suggestions.map((suggestion) => suggestion.start)).toEqual([8, 9.5, 10, 10.5, 11].map((hour) => utcWall(monday + hour * HOUR)));
    expect(suggestions[0]).toEqual({
      start: utcWall(monday + 8 * HOUR),
      end: utcWall(monday + 9 * HOUR),
      confidence: 100,
      organizerAvailability: 'free',
      attendees: [{ email: ALEX.upn, availability: 'free' }],
    });
    const request = stack.graph.requests.findLast((entry) => entry.path === '/v1.0/me/findMeetingTimes');
    expect(request?.method).toBe('POST');
  });

  it('takes a duration in minutes, caps candidates and answers in the time zone asked for', async () => {
    const result = await call(clientOf(ADELE), 'find_meeting_times', { attendees: [{ email: ALEX.upn }], ...morning, duration: 60, maxCandidates: 2, timeZone: 'Asia/Tokyo' });
    const { suggestions, timeZone } = structuredOf(result, findMeetingTimes.output);
    expect(timeZone).toBe('Asia/Tokyo');
    expect(suggestions.map((suggestion) => suggestion.start)).toEqual([wallIn(monday + 8 * HOUR, 'Asia/Tokyo'), wallIn(monday + 9.5 * HOUR, 'Asia/Tokyo')]);
  });

  it('marks people outside the tenant as unknown', async () => {
    const { suggestions } = structuredOf(await call(clientOf(ADELE), 'find_meeting_times', { attendees: [{ email: ALEX.upn }, { email: MEGAN.upn, type: 'optional' }], ...morning }), findMeetingTimes.output);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions[0]?.attendees).toEqual([{ email: ALEX.upn, availability: 'free' }, { email: MEGAN.upn, availability: 'unknown' }]);
  });

  it('says why there is nothing when the caller is busy', async () => {
    const result = await call(clientOf(ADELE), 'find_meeting_times', { attendees: [{ email: ALEX.upn }], start: iso(monday + 9 * HOUR), end: iso(monday + 9 * HOUR + 30 * MINUTE), duration: 30 });
    expect(structuredOf(result, findMeetingTimes.output)).toEqual({ suggestions: [], timeZone: 'UTC', emptySuggestionsReason: 'organizerUnavailable' });
  });

  it('refuses durations it cannot use', async () => {
    expect(errorCode(await call(clientOf(ADELE), 'find_meeting_times', { attendees: [{ email: ALEX.upn }], ...morning, duration: 300 }))).toBe('bad_request');
    for (const duration of [0, 4, 1441, 30.5, 'PT1H', '60']) {
      expect(errorCode(await call(clientOf(ADELE), 'find_meeting_times', { attendees: [{ email: ALEX.upn }], ...morning, duration })), String(duration)).toBe('input_invalid');
    }
    expect(errorCode(await call(clientOf(ADELE), 'find_meeting_times', { attendees: [], ...morning }))).toBe('input_invalid');
  });
});
