// Calendar input that only looks like a date or a list of people: every calendar tool refuses it as input_invalid before Graph.
import type { McpClient } from '../../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressesInput, attendeesInput, dateTimeTimeZoneInput, instantInput } from '../../../shared/tools/calendar/calendarSchemas.js';
import { listEvents } from '../../../shared/tools/calendar/listEvents.js';
import { currentWeekStart } from '../../../sandbox/graph/calendarRoutes.js';
import { ADELE, ALEX } from '../../../sandbox/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';
import { startStackWithClients, type StackWithClients } from '../../support/toolCalls.js';
import { call, DAY, errorCode, iso, structuredOf } from './calendarTestKit.js';

const monday = currentWeekStart();
const day = iso(monday + 14 * DAY).slice(0, 10);

let stack: TestStack;
let fixture: StackWithClients;
beforeAll(async () => {
  fixture = await startStackWithClients([ADELE]);
  stack = fixture.stack;
});
afterAll(() => fixture.close());

const adele = (): McpClient => fixture.clientOf(ADELE);

/** Calls the tool and expects input_invalid with no Graph request at all. */
async function expectRefused(tool: string, args: Record<string, unknown>): Promise<string> {
  const requests = stack.graph.requests.length;
  const result = await call(adele(), tool, args);
  expect(errorCode(result), `${tool} ${JSON.stringify(args).slice(0, 200)}`).toBe('input_invalid');
  expect(stack.graph.requests.length, tool).toBe(requests);
  return JSON.stringify(result.content);
}

describe('instants (list_events, get_schedule, find_meeting_times)', () => {
  it.each(['+24:00', '+15:00', '-13:00', '+14:30', '+05:60'])('refuses the offset %s with a message about offsets', (offset) => {
    const parsed = instantInput().safeParse(`2025-03-10T09:00:00${offset}`);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/offset/);
  });

  it.each(['9999-12-31T23:59:59-12:00', '9999-12-31T23:00:00-01:00'])('refuses %s, which is in year 10000', (value) => {
    const parsed = instantInput().safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/0001 to 9999/);
  });

  it.each(['2025-03-10T09:00:00+14:00', '2025-03-10T09:00:00-12:00', '2025-03-10T09:00:00+05:45', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59+01:00'])('accepts %s', (value) => {
    expect(instantInput().safeParse(value).success).toBe(true);
  });

  it('every tool taking instants refuses them before Graph, and takes the real extremes', async () => {
    const start = iso(monday);
    for (const bad of [`${day}T09:00:00+24:00`, '9999-12-31T23:59:59-12:00']) {
      expect(await expectRefused('list_events', { start, end: bad })).toMatch(/end/);
      await expectRefused('get_schedule', { schedules: [ALEX.upn], start, end: bad });
      await expectRefused('find_meeting_times', { attendees: [{ email: ALEX.upn }], start, end: bad });
    }
    const listed = await call(adele(), 'list_events', { start: `${day}T09:00:00+14:00`, end: `${day}T09:00:00-12:00` });
    expect(structuredOf(listed, listEvents.output).events).toBeInstanceOf(Array);
  });
});

describe('wall times with a zone (create_event, update_event)', () => {
  it('refuses a wall time that is past year 9999 in its zone, and keeps the last one that is not', () => {
    expect(dateTimeTimeZoneInput().safeParse({ dateTime: '9999-12-31T23:59:59', timeZone: 'Etc/GMT+12' }).success).toBe(false);
    expect(dateTimeTimeZoneInput().safeParse({ dateTime: '9999-12-31T23:59:59', timeZone: 'America/New_York' }).success).toBe(false);
    expect(dateTimeTimeZoneInput().safeParse({ dateTime: '9999-12-31T23:59:59', timeZone: 'UTC' }).success).toBe(true);
    expect(dateTimeTimeZoneInput().safeParse({ dateTime: '9999-12-31T10:00:00', timeZone: 'Asia/Tokyo' }).success).toBe(true);
  });

  it('create_event and update_event refuse it before Graph', async () => {
    const late = { dateTime: '9999-12-31T23:00:00', timeZone: 'Etc/GMT+12' };
    const later = { dateTime: '9999-12-31T23:30:00', timeZone: 'Etc/GMT+12' };
    expect(await expectRefused('create_event', { subject: 'Far future', start: late, end: later })).toMatch(/0001 to 9999/);
    await expectRefused('update_event', { id: 'adele-event-000', start: late, end: later });
  });
});

describe('people listed twice', () => {
  it('the shared schemas compare addresses without case', () => {
    expect(attendeesInput(0, 10).safeParse([{ email: 'Lee@contoso.example' }, { email: 'lee@CONTOSO.example', type: 'optional' }]).success).toBe(false);
    expect(addressesInput(1, 10).safeParse(['a@contoso.example', 'A@contoso.example']).success).toBe(false);
    expect(attendeesInput(0, 10).safeParse([{ email: 'lee@contoso.example' }, { email: 'leeg@contoso.example' }]).success).toBe(true);
  });

  it('create_event refuses a repeated attendee instead of counting two invitations, and creates nothing', async () => {
    const before = stack.graph.dataOf(ADELE).events.length;
    const text = await expectRefused('create_event', {
      subject: 'Twice',
      start: { dateTime: `${day}T10:00:00` },
      end: { dateTime: `${day}T11:00:00` },
      attendees: [{ email: ALEX.upn }, { email: ALEX.upn.toUpperCase(), type: 'optional' }],
    });
    expect(text).toMatch(/more than once/);
    expect(stack.graph.dataOf(ADELE).events).toHaveLength(before);
  });

  it('find_meeting_times and get_schedule refuse a repeated person too', async () => {
    const window = { start: iso(monday), end: iso(monday + DAY) };
    await expectRefused('find_meeting_times', { attendees: [{ email: ALEX.upn }, { email: ALEX.upn.toLowerCase() }], ...window });
    await expectRefused('get_schedule', { schedules: [ALEX.upn, ALEX.upn.toUpperCase()], ...window });
  });
});
