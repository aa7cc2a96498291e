// create_event, update_event and cancel_event over a real MCP client: they change the caller's calendar and nobody else's.
import type { McpClient } from '../../support/mcpClient.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cancelEvent } from '../../../shared/tools/calendar/cancelEvent.js';
import { createEvent } from '../../../shared/tools/calendar/createEvent.js';
import { updateEvent } from '../../../shared/tools/calendar/updateEvent.js';
import { currentWeekStart } from '../../../sandbox/graph/calendarRoutes.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../../sandbox/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';
import { startStackWithClients, type StackWithClients } from '../../support/toolCalls.js';
import { call, DAY, errorCode, iso, structuredOf } from './calendarTestKit.js';

let stack: TestStack;
/** Two weeks out: clear of the seeded week and of the paging day. */
const day = currentWeekStart() + 14 * DAY;
const dayText = iso(day).slice(0, 10);

let fixture: StackWithClients;
beforeAll(async () => {
  fixture = await startStackWithClients([ADELE, ALEX, MEGAN]);
  stack = fixture.stack;
});
afterAll(() => fixture.close());

const clientOf = (user: SampleUser): McpClient => fixture.clientOf(user);
const eventsOf = (user: SampleUser) => stack.graph.dataOf(user).events;
const snapshot = (user: SampleUser): string => JSON.stringify(eventsOf(user));

/** The other users' calendars must come out of every write test exactly as they went in. */
let others: Map<string, string>;
beforeEach(() => {
  others = new Map([ALEX, MEGAN].map((user) => [user.key, snapshot(user)]));
  return () => {
    for (const user of [ALEX, MEGAN]) expect(snapshot(user), `${user.key}'s calendar changed`).toBe(others.get(user.key));
  };
});

async function create(user: SampleUser, args: Record<string, unknown> = {}) {
  const result = await call(clientOf(user), 'create_event', {
    subject: 'Window display planning',
    start: { dateTime: `${dayText}T10:00:00`, timeZone: 'Europe/Paris' },
    end: { dateTime: `${dayText}T11:00:00`, timeZone: 'Europe/Paris' },
    ...args,
  });
  return structuredOf(result, createEvent.output);
}

describe('create_event', () => {
  it('creates the event in the caller\'s calendar with attendees, location, text body and a Teams link', async () => {
    const before = eventsOf(ADELE).length;
    const created = await create(ADELE, {
      location: 'Store 12, back office',
      body: 'Agenda: spring windows.\nBring samples.',
      attendees: [{ email: ALEX.upn }, { email: 'LeeG@contoso.example', type: 'optional' }],
      isOnlineMeeting: true,
    });
    expect(created).toMatchObject({
      subject: 'Window display planning',
      start: `${dayText}T10:00:00`,
      end: `${dayText}T11:00:00`,
      timeZone: 'Europe/Paris',
      invited: 2,
    });
    expect(created.id).toMatch(/^adele-/);
    expect(created.webLink).toMatch(/^https:\/\//);
    expect(created.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\//);
    expect(eventsOf(ADELE)).toHaveLength(before + 1);
    const stored = eventsOf(ADELE).find((event) => event.id === created.id)!;
    // Paris is UTC+1 or UTC+2: stored in UTC, 08:00 or 09:00.
    expect([`${dayText}T08:00:00.0000000`, `${dayText}T09:00:00.0000000`]).toContain(stored.start?.dateTime);
    expect(stored).toMatchObject({
      isOrganizer: true,
      originalStartTimeZone: 'Europe/Paris',
      body: { contentType: 'text', content: 'Agenda: spring windows.\nBring samples.' },
      location: { displayName: 'Store 12, back office' },
      isOnlineMeeting: true,
    });
    expect(stored.attendees?.map((attendee) => [attendee.emailAddress?.address, attendee.type])).toEqual([[ALEX.upn, 'required'], ['LeeG@contoso.example', 'optional']]);
  });

  it('answers with both times in the start\'s zone when start and end are given in different zones', async () => {
    const created = await create(ADELE, {
      start: { dateTime: `${dayText}T09:00:00`, timeZone: 'Europe/London' },
      end: { dateTime: `${dayText}T11:00:00`, timeZone: 'Europe/Paris' },
    });
    const stored = eventsOf(ADELE).find((event) => event.id === created.id)!;
    expect(created.timeZone).toBe('Europe/London');
    expect(created.start).toBe(`${dayText}T09:00:00`);
    // Paris is an hour ahead of London all year.
    expect(created.end).toBe(`${dayText}T10:00:00`);
    expect(stored).toMatchObject({ originalStartTimeZone: 'Europe/London', originalEndTimeZone: 'Europe/Paris' });
  });

  it('refuses an end before the start without calling Graph', async () => {
    const before = eventsOf(ADELE).length;
    const requests = stack.graph.requests.length;
    const result = await call(clientOf(ADELE), 'create_event', {
      subject: 'Backwards',
      start: { dateTime: `${dayText}T11:00:00`, timeZone: 'UTC' },
      end: { dateTime: `${dayText}T10:00:00`, timeZone: 'UTC' },
    });
    expect(errorCode(result)).toBe('bad_request');
    // Different IANA zones are compared as instants: 10:30 in Paris is before 10:00 in London.
    const acrossZones = await call(clientOf(ADELE), 'create_event', {
      subject: 'Backwards across zones',
      start: { dateTime: `${dayText}T10:30:00`, timeZone: 'Europe/London' },
      end: { dateTime: `${dayText}T10:30:00`, timeZone: 'Europe/Paris' },
    });
    expect(errorCode(acrossZones)).toBe('bad_request');
    expect(stack.graph.requests.length).toBe(requests);
    expect(eventsOf(ADELE)).toHaveLength(before);
  });

  it('refuses dates that do not exist and offsets inside local times', async () => {
    for (const dateTime of ['2025-02-30T10:00:00', `${dayText}T10:00:00Z`, `${dayText}T25:00:00`, 'tomorrow at ten']) {
      const result = await call(clientOf(ADELE), 'create_event', { subject: 'Bad', start: { dateTime }, end: { dateTime: `${dayText}T23:00:00` } });
      expect(errorCode(result), dateTime).toBe('input_invalid');
    }
    const noAddress = await call(clientOf(ADELE), 'create_event', { subject: 'Bad', start: { dateTime: `${dayText}T10:00:00` }, end: { dateTime: `${dayText}T11:00:00` }, attendees: [{ email: 'Lee Gu' }] });
    expect(errorCode(noAddress)).toBe('input_invalid');
  });

  it('passes Graph\'s verdict on a time zone it does not know', async () => {
    const before = eventsOf(ADELE).length;
    const result = await call(clientOf(ADELE), 'create_event', {
      subject: 'Nowhere',
      start: { dateTime: `${dayText}T10:00:00`, timeZone: 'Mars Standard Time' },
      end: { dateTime: `${dayText}T11:00:00`, timeZone: 'Mars Standard Time' },
    });
    expect(errorCode(result)).toBe('bad_request');
    expect(stack.graph.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1.0/me/events', status: 400 });
    expect(eventsOf(ADELE)).toHaveLength(before);
  });
});

describe('update_event', () => {
  it('changes only the given fields, and the same patch twice leaves the same event', async () => {
    const { id } = await create(ADELE, { location: 'Old room', body: 'Keep this text.' });
    const patch = { id, subject: 'Window display planning (moved)', start: { dateTime: `${dayText}T15:00:00` }, end: { dateTime: `${dayText}T16:00:00` } };
    const first = structuredOf(await call(clientOf(ADELE), 'update_event', patch), updateEvent.output);
    expect(first).toMatchObject({
      id,
      subject: 'Window display planning (moved)',
      start: `${dayText}T15:00:00`,
      end: `${dayText}T16:00:00`,
      timeZone: 'UTC',
      location: 'Old room',
    });
    const stored = () => {
      const { lastModifiedDateTime: _changes, ...rest } = eventsOf(ADELE).find((event) => event.id === id)!;
      return rest;
    };
    const afterFirst = stored();
    expect(afterFirst.body).toEqual({ contentType: 'text', content: 'Keep this text.' });
    const second = structuredOf(await call(clientOf(ADELE), 'update_event', patch), updateEvent.output);
    expect(second).toEqual(first);
    expect(stored()).toEqual(afterFirst);
    // Sending only a PATCH with the fields given: nothing else is overwritten.
    const body = structuredOf(await call(clientOf(ADELE), 'update_event', { id, body: 'New agenda.', location: '' }), updateEvent.output);
    expect(body.location).toBeUndefined();
    expect(stored()).toMatchObject({ subject: 'Window display planning (moved)', body: { contentType: 'text', content: 'New agenda.' } });
  });

  it('refuses an empty patch, and an end before the start (Graph\'s check when only one side moves)', async () => {
    const { id } = await create(ADELE);
    expect(errorCode(await call(clientOf(ADELE), 'update_event', { id }))).toBe('bad_request');
    const before = JSON.stringify(eventsOf(ADELE).find((event) => event.id === id));
    const late = await call(clientOf(ADELE), 'update_event', { id, start: { dateTime: `${dayText}T20:00:00` } });
    expect(errorCode(late)).toBe('bad_request');
    expect(stack.graph.requests.at(-1)).toMatchObject({ method: 'PATCH', status: 400 });
    expect(JSON.stringify(eventsOf(ADELE).find((event) => event.id === id))).toBe(before);
  });

  it('refuses to change a meeting the caller attends but does not organize, as cancel_event does, without patching it', async () => {
    const attended = () => JSON.stringify(eventsOf(ADELE).find((event) => event.id === 'adele-event-002'));
    const before = attended();
    expect(eventsOf(ADELE).find((event) => event.id === 'adele-event-002')?.isOrganizer).toBe(false);
    const requests = stack.graph.requests.length;
    const result = await call(clientOf(ADELE), 'update_event', { id: 'adele-event-002', subject: 'Rewritten', location: 'Elsewhere', body: 'Gone' });
    expect(errorCode(result)).toBe('bad_request');
    expect(JSON.stringify(result.content)).toMatch(/organizer/i);
    const cancelled = await call(clientOf(ADELE), 'cancel_event', { id: 'adele-event-002' });
    expect(errorCode(cancelled)).toBe(errorCode(result));
    expect(stack.graph.requests.slice(requests).some((request) => request.method === 'PATCH' || request.path.endsWith('/cancel'))).toBe(false);
    expect(attended()).toBe(before);
  });

  it('is marked destructive: a new body or location overwrites the old one', () => {
    expect(updateEvent.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it('gives other users not_found for the caller\'s events and leaves them unchanged', async () => {
    const { id } = await create(ADELE);
    const before = JSON.stringify(eventsOf(ADELE));
    for (const user of [ALEX, MEGAN]) {
      expect(errorCode(await call(clientOf(user), 'update_event', { id, subject: 'Hijacked' })), user.key).toBe('not_found');
      expect(errorCode(await call(clientOf(user), 'update_event', { id: 'adele-event-000', subject: 'Hijacked' })), user.key).toBe('not_found');
    }
    expect(JSON.stringify(eventsOf(ADELE))).toBe(before);
  });
});

describe('cancel_event', () => {
  it('cancels a meeting the caller organizes, with a comment; a second cancel finds nothing', async () => {
    const { id } = await create(ADELE, { attendees: [{ email: ALEX.upn }] });
    const result = await call(clientOf(ADELE), 'cancel_event', { id, comment: 'Moving this to next month.' });
    expect(structuredOf(result, cancelEvent.output)).toEqual({ id, subject: 'Window display planning', cancelled: true });
    expect(stack.graph.requests.at(-1)).toMatchObject({ method: 'POST', path: `/v1.0/me/events/${id}/cancel`, status: 202 });
    expect(eventsOf(ADELE).some((event) => event.id === id)).toBe(false);
    expect(errorCode(await call(clientOf(ADELE), 'cancel_event', { id }))).toBe('not_found');
  });

  it('tells an attendee to decline instead, without sending a cancellation', async () => {
    const requests = stack.graph.requests.length;
    const result = await call(clientOf(ADELE), 'cancel_event', { id: 'adele-event-002' });
    expect(errorCode(result)).toBe('bad_request');
    expect(JSON.stringify(result.content)).toMatch(/decline/i);
    expect(stack.graph.requests.slice(requests).some((request) => request.path.endsWith('/cancel'))).toBe(false);
    expect(eventsOf(ADELE).some((event) => event.id === 'adele-event-002')).toBe(true);
  });

  it('gives other users not_found for the caller\'s events', async () => {
    const before = JSON.stringify(eventsOf(ADELE));
    for (const user of [ALEX, MEGAN]) {
      expect(errorCode(await call(clientOf(user), 'cancel_event', { id: 'adele-event-000' })), user.key).toBe('not_found');
    }
    expect(JSON.stringify(eventsOf(ADELE))).toBe(before);
  });
});

describe('write tools', () => {
  it('left the other users with only their seeded events', () => {
    // beforeEach's check runs after every test; this states the end result.
    for (const user of [ALEX, MEGAN]) {
      expect(eventsOf(user), user.key).toHaveLength(126);
      expect(eventsOf(user).every((event) => event.id.startsWith(`${user.key}-`)), user.key).toBe(true);
    }
  });
});
