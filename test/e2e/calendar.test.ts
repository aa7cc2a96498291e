// The calendar tools over a real MCP client and real HTTP: listing, reading, paging, isolation, least privilege, annotations.
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../shared/graph/cursor.js';
import { calendarTools } from '../../shared/tools/calendar/calendarTools.js';
import { getEvent } from '../../shared/tools/calendar/getEvent.js';
import { listEvents } from '../../shared/tools/calendar/listEvents.js';
import { currentWeekStart, PAGING_EVENT_COUNT, pagingDay } from '../../sandbox/graph/calendarRoutes.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import type { TestStack } from '../support/testStack.js';
import { startStackWithClients, type StackWithClients } from '../support/toolCalls.js';
import { call, clientFor, DAY, errorCode, HOUR, iso, structuredOf, utcWall, wallIn } from '../tools/calendar/calendarTestKit.js';

let stack: TestStack;
const weekStart = currentWeekStart();
const week = { start: iso(weekStart), end: iso(weekStart + 7 * DAY) };

let fixture: StackWithClients;
beforeAll(async () => {
  fixture = await startStackWithClients([ADELE, ALEX, MEGAN]);
  stack = fixture.stack;
});
afterAll(() => fixture.close());

const clientOf = (user: SampleUser): McpClient => fixture.clientOf(user);

describe('calendar tools in tools/list', () => {
  const expected: Record<string, { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean }> = {
    list_events: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    get_event: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    create_event: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    update_event: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    cancel_event: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    find_meeting_times: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    get_schedule: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  };

  it('lists each calendar tool with truthful annotations, a title, an output schema and a short description', async () => {
    const { tools } = await clientOf(ADELE).listTools();
    const listed = tools.filter((tool) => tool.name in expected);
    expect(listed.map((tool) => tool.name).sort()).toEqual(Object.keys(expected).sort());
    for (const tool of listed) {
      expect(tool.annotations, tool.name).toMatchObject(expected[tool.name]!);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.description?.length ?? 0, tool.name).toBeLessThanOrEqual(200);
    }
    // Seven of ~25 tools: their share of the 40 KB tools/list budget.
    expect(JSON.stringify(listed).length).toBeLessThan(16_000);
  });
});

describe('list_events', () => {
  it('lists this week of the caller only, sorted by start, with the summary fields', async () => {
    const result = await call(clientOf(ADELE), 'list_events', { ...week });
    const { events, nextCursor } = structuredOf(result, listEvents.output);
    expect(nextCursor).toBeUndefined();
    expect(events.map((event) => event.id).sort()).toEqual(Array.from({ length: 7 }, (_, index) => `adele-event-00${index}`));
    expect(events.every((event) => event.id.startsWith('adele-'))).toBe(true);
    const starts = events.map((event) => event.start);
    expect([...starts].sort()).toEqual(starts);
    const standUp = events.find((event) => event.subject === 'Retail team stand-up');
    expect(standUp).toMatchObject({
      start: utcWall(weekStart + 9 * HOUR),
      end: utcWall(weekStart + 9.5 * HOUR),
      timeZone: 'UTC',
      organizer: { email: ADELE.upn },
      showAs: 'busy',
      isAllDay: false,
      isCancelled: false,
      location: 'Microsoft Teams Meeting',
    });
    expect(standUp?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\//);
    expect(standUp?.webLink).toMatch(/^https:\/\//);
    expect(events.find((event) => event.subject === 'Retail leadership training')).toMatchObject({ isAllDay: true, showAs: 'oof' });
    expect(events.find((event) => event.subject === 'Vendor review')).toMatchObject({ isCancelled: true });
    // Summaries only: no body, no attendees.
    expect(JSON.stringify(result.structuredContent)).not.toMatch(/bodyPreview|Career development|attendees/);
    expect(result.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining('Retail team stand-up') })]);
  });

  it('sends calendarView the window and a $select, and never asks for bodies', async () => {
    await call(clientOf(ADELE), 'list_events', { ...week, top: 5 });
    const request = stack.graph.requests.findLast((entry) => entry.path === '/v1.0/me/calendarView')!;
    const query = new URL(request.url, 'https://graph.invalid').searchParams;
    expect(query.get('startDateTime')).toBe(week.start);
    expect(query.get('endDateTime')).toBe(week.end);
    expect(query.get('$top')).toBe('5');
    expect(query.get('$select')?.split(',')).not.toContain('body');
    expect(query.get('$select')?.split(',')).toEqual(expect.arrayContaining(['subject', 'start', 'end', 'location', 'organizer', 'isAllDay', 'isCancelled', 'showAs', 'webLink', 'onlineMeeting']));
  });

  it('gives each user their own events', async () => {
    const ids = async (user: SampleUser) => structuredOf(await call(clientOf(user), 'list_events', { ...week }), listEvents.output).events.map((event) => event.id);
    const [adele, alex, megan] = await Promise.all([ids(ADELE), ids(ALEX), ids(MEGAN)]);
    expect(alex.length).toBeGreaterThan(0);
    expect(megan.length).toBeGreaterThan(0);
    expect(alex.every((id) => id.startsWith('alex-'))).toBe(true);
    expect(megan.every((id) => id.startsWith('megan-'))).toBe(true);
    expect(adele.filter((id) => alex.includes(id) || megan.includes(id))).toEqual([]);
  });

  it('answers in the requested time zone, Windows or IANA name', async () => {
    for (const [timeZone, iana] of [['Pacific Standard Time', 'America/Los_Angeles'], ['Asia/Tokyo', 'Asia/Tokyo']] as const) {
      const { events } = structuredOf(await call(clientOf(ADELE), 'list_events', { ...week, timeZone }), listEvents.output);
      const standUp = events.find((event) => event.subject === 'Retail team stand-up');
      expect(standUp).toMatchObject({ start: wallIn(weekStart + 9 * HOUR, iana), end: wallIn(weekStart + 9.5 * HOUR, iana), timeZone });
    }
  });

  it('takes the window as instants with offsets', async () => {
    // Monday 10:00+02:00 to 12:00+02:00 is 08:00-10:00 UTC: the 09:00 stand-up only.
    const day = iso(weekStart).slice(0, 10);
    const result = await call(clientOf(ADELE), 'list_events', { start: `${day}T10:00:00+02:00`, end: `${day}T12:00:00+02:00` });
    expect(structuredOf(result, listEvents.output).events.map((event) => event.subject)).toEqual(['Retail team stand-up']);
  });

  it('pages through 120 events with no duplicates or gaps, keeping the time zone on every page', async () => {
    const day = pagingDay();
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const result = await call(clientOf(ADELE), 'list_events', { start: iso(day), end: iso(day + DAY), top: 50, timeZone: 'Europe/Paris', ...(cursor !== undefined && { cursor }) });
      const page = structuredOf(result, listEvents.output);
      expect(page.events.every((event) => event.timeZone === 'Europe/Paris')).toBe(true);
      seen.push(...page.events.map((event) => event.id));
      pageSizes.push(page.events.length);
      cursor = page.nextCursor;
    } while (cursor !== undefined && pageSizes.length < 10);
    expect(pageSizes).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(PAGING_EVENT_COUNT);
    expect(seen).toEqual(Array.from({ length: PAGING_EVENT_COUNT }, (_, index) => `adele-slot-${String(index).padStart(3, '0')}`));
  });

  it('refuses cursors from another tool, another path, or made up', async () => {
    const window = { start: iso(pagingDay()), end: iso(pagingDay() + DAY) };
    const first = structuredOf(await call(clientOf(ADELE), 'list_events', { ...window, top: 10 }), listEvents.output);
    const link = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as { u: string };
    const fromPeople = encodeCursor('find_people', `${stack.graph.url}/v1.0/me/people?$top=10&$skiptoken=MTA`);
    const toMessages = encodeCursor('list_events', link.u.replace('/me/calendarView', '/me/messages'));
    const walkingOut = encodeCursor('list_events', link.u.replace('/me/calendarView', '/me/calendarView/../messages'));
    const before = stack.graph.requests.length;
    for (const cursor of [fromPeople, toMessages, walkingOut, 'not-a-cursor']) {
      const result = await call(clientOf(ADELE), 'list_events', { ...window, cursor });
      expect(errorCode(result), cursor).toBe('cursor_invalid');
    }
    expect(stack.graph.requests.length).toBe(before);
  });

  it('refuses bad windows before calling Graph', async () => {
    const before = stack.graph.requests.length;
    const backwards = await call(clientOf(ADELE), 'list_events', { start: week.end, end: week.start });
    expect(errorCode(backwards)).toBe('bad_request');
    const tooLong = await call(clientOf(ADELE), 'list_events', { start: week.start, end: iso(weekStart + 367 * DAY) });
    expect(errorCode(tooLong)).toBe('bad_request');
    const noOffset = await call(clientOf(ADELE), 'list_events', { start: '2025-03-10T09:00:00', end: week.end });
    expect(errorCode(noOffset)).toBe('input_invalid');
    const notADate = await call(clientOf(ADELE), 'list_events', { start: '2025-02-30T09:00:00Z', end: week.end });
    expect(errorCode(notADate)).toBe('input_invalid');
    const quoteInZone = await call(clientOf(ADELE), 'list_events', { ...week, timeZone: 'UTC"\r\nX-Evil: 1' });
    expect(errorCode(quoteInZone)).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });
});

describe('get_event', () => {
  it('returns attendees, responses and the body preview, not the body', async () => {
    const result = await call(clientOf(ADELE), 'get_event', { id: 'adele-event-000' });
    const event = structuredOf(result, getEvent.output);
    expect(event).toMatchObject({
      id: 'adele-event-000',
      subject: 'Retail team stand-up',
      isOrganizer: true,
      myResponse: 'organizer',
      bodyPreview: 'Daily check-in on store performance and stock issues.',
      organizer: { name: ADELE.name, email: ADELE.upn },
    });
    expect(event.attendees).toEqual([
      { email: ALEX.upn, name: ALEX.name, type: 'required', response: 'accepted' },
      { email: 'LeeG@contoso.example', name: 'Lee Gu', type: 'optional', response: 'accepted' },
    ]);
    expect(JSON.stringify(result.structuredContent)).not.toContain('<html>');
    const request = stack.graph.requests.findLast((entry) => entry.path === '/v1.0/me/events/adele-event-000')!;
    const select = new URL(request.url, 'https://graph.invalid').searchParams.get('$select')?.split(',');
    expect(select).toEqual(expect.arrayContaining(['attendees', 'bodyPreview']));
    expect(select).not.toContain('body');
  });

  it('shows an attendee their response and the organizer', async () => {
    const event = structuredOf(await call(clientOf(ADELE), 'get_event', { id: 'adele-event-002', timeZone: 'Europe/London' }), getEvent.output);
    expect(event).toMatchObject({ subject: '1:1 with Lee', isOrganizer: false, myResponse: 'accepted', organizer: { email: 'LeeG@contoso.example' } });
    expect(event.timeZone).toBe('Europe/London');
  });

  it('gives another user not_found for the caller\'s event ids, in the tenant and across tenants', async () => {
    for (const user of [ALEX, MEGAN]) {
      const result = await call(clientOf(user), 'get_event', { id: 'adele-event-000' });
      expect(errorCode(result), user.key).toBe('not_found');
      expect(JSON.stringify(result)).not.toContain('Retail team stand-up');
    }
  });

  it('keeps paths out of ids', async () => {
    for (const id of ['../messages', 'a/b', 'x?$select=body', '']) {
      expect(errorCode(await call(clientOf(ADELE), 'get_event', { id })), id).toBe('input_invalid');
    }
  });
});

describe('least privilege', () => {
  /** Each call uses a fresh token so the OBO exchange happens (and is recorded) for that tool alone. */
  const scopesFor = async (name: string, args: Record<string, unknown>): Promise<readonly string[]> => {
    const client = await clientFor(stack, ADELE);
    const before = stack.idp.oboRequests.length;
    const result = await call(client, name, args);
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.length).toBeGreaterThan(before);
    return [...stack.idp.oboRequests.at(-1)!.scopes].sort();
  };

  it('asks Entra for exactly the scopes each calendar tool declares', async () => {
    const monday = weekStart;
    expect(await scopesFor('list_events', { ...week })).toEqual(['Calendars.Read']);
    expect(await scopesFor('get_event', { id: 'adele-event-000' })).toEqual(['Calendars.Read']);
    expect(await scopesFor('find_meeting_times', { attendees: [{ email: ALEX.upn }], start: iso(monday), end: iso(monday + 5 * DAY) })).toEqual(['Calendars.Read']);
    expect(await scopesFor('get_schedule', { schedules: [ALEX.upn], start: iso(monday), end: iso(monday + DAY) })).toEqual(['Calendars.Read']);
    const createClient = await clientFor(stack, ADELE);
    const created = await call(createClient, 'create_event', { subject: 'Scope check', start: { dateTime: utcWall(monday + 21 * DAY + 9 * HOUR) }, end: { dateTime: utcWall(monday + 21 * DAY + 10 * HOUR) } });
    await createClient.close();
    expect(stack.idp.oboRequests.at(-1)!.scopes).toEqual(['Calendars.ReadWrite']);
    const id = (created.structuredContent as { id: string }).id;
    expect(await scopesFor('update_event', { id, subject: 'Scope check, moved' })).toEqual(['Calendars.ReadWrite']);
    expect(await scopesFor('cancel_event', { id })).toEqual(['Calendars.ReadWrite']);
    // What each tool declares is what it was given, and reads never declare a write scope.
    for (const tool of calendarTools) {
      if (tool.annotations.readOnlyHint) expect(tool.scopes.some((scope) => scope.includes('Write')), tool.name).toBe(false);
    }
  });
});
