// Local Graph: the signed-in user's calendar (calendarView, events, cancel) and the tenant's free/busy (findMeetingTimes, getSchedule).
import { randomUUID } from 'node:crypto';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page, select } from './odata.js';
import type { UserData, WithId } from './userData.js';

type StoredEvent = WithId<MicrosoftGraph.Event>;

/** Graph accepts a read with either; a write only with ReadWrite. */
const READ = ['Calendars.Read', 'Calendars.ReadWrite'];
const WRITE = ['Calendars.ReadWrite'];
/** findMeetingTimes documents the .Shared scopes as least privileged; the plain ones hold them. */
const MEETING_TIMES = ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared', 'Calendars.Read', 'Calendars.ReadWrite'];

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_SCHEDULE_DAYS = 62;
/** Working hours of every sample user, Monday to Friday, in UTC. */
const WORK_START_HOUR = 8;
const WORK_END_HOUR = 17;

// ---- Time zones: Graph takes IANA and Windows names; Intl knows only IANA.

const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'utc': 'UTC',
  'pacific standard time': 'America/Los_Angeles',
  'mountain standard time': 'America/Denver',
  'central standard time': 'America/Chicago',
  'eastern standard time': 'America/New_York',
  'gmt standard time': 'Europe/London',
  'w. europe standard time': 'Europe/Berlin',
  'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest',
  'india standard time': 'Asia/Kolkata',
  'china standard time': 'Asia/Shanghai',
  'tokyo standard time': 'Asia/Tokyo',
  'aus eastern standard time': 'Australia/Sydney',
};

interface Zone {
  /** As the client wrote it; Graph echoes it back in `timeZone`. */
  readonly name: string;
  readonly iana: string;
}

const UTC: Zone = { name: 'UTC', iana: 'UTC' };

function zoneNamed(name: string): Zone | undefined {
  const windows = WINDOWS_ZONES[name.toLowerCase()];
  if (windows !== undefined) return { name, iana: windows };
  try {
    return { name, iana: new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone };
  } catch {
    return undefined;
  }
}

function unsupportedZone(name: string): GraphReply {
  return graphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`);
}

/** The zone of `Prefer: outlook.timezone="…"` (UTC without one), or the 400 for a zone Graph does not know. */
function preferredZone(headers: GraphContext['headers']): Zone | GraphReply {
  const prefer = [headers.prefer ?? []].flat().join(',');
  const name = /outlook\.timezone\s*=\s*"([^"]*)"/i.exec(prefer)?.[1];
  if (name === undefined) return UTC;
  return zoneNamed(name) ?? unsupportedZone(name);
}

/** Every reply the helpers below return instead of a value is a Graph error. */
function isReply(value: unknown): value is GraphReply {
  const reply = value as { status?: unknown; body?: { error?: unknown } } | null;
  return typeof reply === 'object' && reply !== null && typeof reply.status === 'number' && typeof reply.body?.error === 'object';
}

function preferenceApplied(zone: Zone): Record<string, string> {
  return zone === UTC ? {} : { 'preference-applied': `outlook.timezone="${zone.name}"` };
}

/** Wall-clock time of an instant in a zone, as Graph writes it (seven fractional digits). */
function toWall(ms: number, iana: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms).map((part) => [part.type, part.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}.0000000`;
}

function offsetAt(ms: number, iana: string): number {
  return Date.parse(`${toWall(ms, iana).slice(0, 19)}Z`) - Math.floor(ms / 1000) * 1000;
}

const WALL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;

/** The instant of a request's dateTimeTimeZone, or Graph's 400. */
function instantOf(value: unknown, property: string): number | GraphReply {
  const { dateTime, timeZone } = (typeof value === 'object' && value !== null ? value : {}) as MicrosoftGraph.DateTimeTimeZone;
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string') {
    return graphError(400, 'ErrorInvalidRequest', `Your request can't be completed. The ${property} property needs a dateTime and a timeZone.`);
  }
  const zone = zoneNamed(timeZone);
  if (zone === undefined) return unsupportedZone(timeZone);
  const asUtc = WALL.test(dateTime) ? Date.parse(`${dateTime.slice(0, 19)}Z`) : Number.NaN;
  if (Number.isNaN(asUtc)) return graphError(400, 'UnableToDeserializePostBody', `were unable to deserialize ${property}.dateTime '${dateTime}'`);
  const guess = asUtc - offsetAt(asUtc, zone.iana);
  return asUtc - offsetAt(guess, zone.iana);
}

/** Stored events keep UTC; `start`/`end` are read back with this. */
function storedMs(value: MicrosoftGraph.DateTimeTimeZone | null | undefined): number {
  return Date.parse(`${(value?.dateTime ?? '').slice(0, 19)}Z`);
}

function utc(ms: number): MicrosoftGraph.DateTimeTimeZone {
  return { dateTime: toWall(ms, 'UTC'), timeZone: 'UTC' };
}

function inZone(ms: number, zone: Zone): MicrosoftGraph.DateTimeTimeZone {
  return { dateTime: toWall(ms, zone.iana), timeZone: zone.name };
}

function rendered(event: StoredEvent, startZone: Zone, endZone: Zone = startZone): StoredEvent {
  return { ...event, start: inZone(storedMs(event.start), startZone), end: inZone(storedMs(event.end), endZone) };
}

// ---- Events.

const notFound = (): GraphReply => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

function findEvent(data: UserData, rawId: string | undefined): StoredEvent | undefined {
  const id = decodeURIComponent(rawId ?? '');
  return data.events.find((event) => event.id === id);
}

function overlaps(event: StoredEvent, startMs: number, endMs: number): boolean {
  const start = storedMs(event.start);
  const end = storedMs(event.end);
  return start === end ? start >= startMs && start < endMs : start < endMs && end > startMs;
}

function byStart(a: StoredEvent, b: StoredEvent): number {
  return storedMs(a.start) - storedMs(b.start);
}

function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

function webLink(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

function joinUrl(id: string): string {
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${Buffer.from(id).toString('base64url')}%40thread.v2/0`;
}

/** Properties a client may write on an event (a subset of Graph's); others get Graph's OData error. */
const WRITABLE = new Set(['subject', 'body', 'start', 'end', 'location', 'attendees', 'isOnlineMeeting', 'onlineMeetingProvider', 'showAs', 'importance', 'sensitivity', 'categories', 'isReminderOn', 'reminderMinutesBeforeStart', 'responseRequested', 'transactionId']);

function unknownProperty(body: Record<string, unknown>): GraphReply | undefined {
  const unknown = Object.keys(body).find((key) => !WRITABLE.has(key));
  return unknown === undefined ? undefined : graphError(400, 'RequestBodyRead', `The property '${unknown}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
}

function attendeesFrom(value: unknown): MicrosoftGraph.Attendee[] | GraphReply {
  if (!Array.isArray(value)) return graphError(400, 'ErrorInvalidRequest', 'attendees must be a collection.');
  const attendees: MicrosoftGraph.Attendee[] = [];
  for (const entry of value as MicrosoftGraph.Attendee[]) {
    const address = entry.emailAddress?.address;
    if (typeof address !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(address)) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient isn\'t valid.');
    attendees.push({ type: entry.type ?? 'required', emailAddress: { address, name: entry.emailAddress?.name ?? address }, status: { response: 'none', time: '0001-01-01T00:00:00Z' } });
  }
  return attendees;
}

function bodyFrom(value: unknown): { body: MicrosoftGraph.ItemBody; bodyPreview: string } {
  const body = (typeof value === 'object' && value !== null ? value : {}) as MicrosoftGraph.ItemBody;
  const content = typeof body.content === 'string' ? body.content : '';
  const html = body.contentType === 'html';
  return {
    body: { contentType: html ? 'html' : 'text', content },
    bodyPreview: (html ? plainText(content) : content.replace(/\s+/g, ' ').trim()).slice(0, 255),
  };
}

/** Applies the writable fields of a POST or PATCH body to `event`; returns Graph's 400 for bad input. */
function applyWrite(event: StoredEvent, input: Record<string, unknown>): GraphReply | undefined {
  const invalid = unknownProperty(input);
  if (invalid !== undefined) return invalid;
  if (input['subject'] !== undefined) {
    if (typeof input['subject'] !== 'string') return graphError(400, 'RequestBodyRead', 'Cannot convert the literal to the expected type \'Edm.String\'.');
    event.subject = input['subject'];
  }
  if (input['body'] !== undefined) Object.assign(event, bodyFrom(input['body']));
  if (input['location'] !== undefined) {
    const location: { displayName?: unknown } | null = typeof input['location'] === 'object' ? input['location'] : null;
    const displayName = typeof location?.displayName === 'string' ? location.displayName : '';
    event.location = { displayName, locationType: 'default' };
    event.locations = displayName === '' ? [] : [{ displayName, locationType: 'default' }];
  }
  if (input['attendees'] !== undefined) {
    const attendees = attendeesFrom(input['attendees']);
    if (isReply(attendees)) return attendees;
    event.attendees = attendees;
  }
  for (const side of ['start', 'end'] as const) {
    if (input[side] === undefined) continue;
    const ms = instantOf(input[side], side);
    if (isReply(ms)) return ms;
    event[side] = utc(ms);
    event[side === 'start' ? 'originalStartTimeZone' : 'originalEndTimeZone'] = (input[side] as MicrosoftGraph.DateTimeTimeZone).timeZone ?? 'UTC';
  }
  if (!(storedMs(event.end) >= storedMs(event.start))) {
    return graphError(400, 'ErrorCalendarEndDateIsEarlierThanStartDate', 'The end date occurs before the start date.');
  }
  if (typeof input['showAs'] === 'string') event.showAs = input['showAs'] as MicrosoftGraph.FreeBusyStatus;
  if (typeof input['sensitivity'] === 'string') event.sensitivity = input['sensitivity'] as MicrosoftGraph.Sensitivity;
  if (input['isOnlineMeeting'] === true) {
    event.isOnlineMeeting = true;
    event.onlineMeetingProvider = 'teamsForBusiness';
    event.onlineMeeting = { joinUrl: joinUrl(event.id) };
  } else if (input['isOnlineMeeting'] === false) {
    event.isOnlineMeeting = false;
    event.onlineMeetingProvider = 'unknown';
    event.onlineMeeting = null;
  }
  event.lastModifiedDateTime = new Date().toISOString();
  return undefined;
}

interface NewEvent {
  readonly id: string;
  readonly subject: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly organizer: { name: string; address: string };
  readonly attendees?: MicrosoftGraph.Attendee[];
  readonly isAllDay?: boolean;
  readonly showAs?: MicrosoftGraph.FreeBusyStatus;
  readonly location?: string;
  readonly online?: boolean;
  readonly cancelled?: boolean;
  readonly sensitivity?: MicrosoftGraph.Sensitivity;
  readonly bodyText?: string;
}

function newEvent(data: UserData, fields: NewEvent): StoredEvent {
  const isOrganizer = fields.organizer.address.toLowerCase() === data.user.upn.toLowerCase();
  const now = new Date().toISOString();
  const bodyText = fields.bodyText ?? '';
  return {
    id: fields.id,
    createdDateTime: now,
    lastModifiedDateTime: now,
    iCalUId: `040000008200E00074C5B7101A82E008${Buffer.from(fields.id).toString('hex').slice(0, 32).toUpperCase()}`,
    subject: fields.subject,
    bodyPreview: bodyText.slice(0, 255),
    body: { contentType: 'html', content: bodyText === '' ? '' : `<html><body><p>${bodyText}</p></body></html>` },
    importance: 'normal',
    sensitivity: fields.sensitivity ?? 'normal',
    start: utc(fields.startMs),
    end: utc(fields.endMs),
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    isAllDay: fields.isAllDay ?? false,
    isCancelled: fields.cancelled ?? false,
    isOrganizer,
    showAs: fields.showAs ?? 'busy',
    type: 'singleInstance',
    webLink: webLink(fields.id),
    location: { displayName: fields.location ?? '', locationType: 'default' },
    locations: fields.location === undefined ? [] : [{ displayName: fields.location, locationType: 'default' }],
    attendees: fields.attendees ?? [],
    organizer: { emailAddress: { name: fields.organizer.name, address: fields.organizer.address } },
    responseStatus: { response: isOrganizer ? 'organizer' : fields.showAs === 'tentative' ? 'tentativelyAccepted' : 'accepted', time: now },
    isOnlineMeeting: fields.online ?? false,
    onlineMeetingProvider: fields.online === true ? 'teamsForBusiness' : 'unknown',
    onlineMeeting: fields.online === true ? { joinUrl: joinUrl(fields.id) } : null,
  };
}

function objectBody(body: unknown): Record<string, unknown> | GraphReply {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? body as Record<string, unknown>
    : graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
}

/** Graph's action parameters are case-insensitive (`Schedules` and `schedules` both work). */
function parameter(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
}

function queryParameter(url: URL, name: string): string | null {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return null;
}

// ---- Free/busy.

const STATUS_RANK: Readonly<Record<string, number>> = { free: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };
/** v1.0 writes workingElsewhere as 0, for older clients. */
const VIEW_DIGIT: Readonly<Record<string, string>> = { free: '0', workingElsewhere: '0', tentative: '1', busy: '2', oof: '3' };

function userWithAddress(tenantUsers: readonly UserData[], address: string): UserData | undefined {
  const wanted = address.toLowerCase();
  return tenantUsers.find((candidate) => candidate.user.upn.toLowerCase() === wanted || candidate.profile.mail?.toLowerCase() === wanted);
}

function blocking(data: UserData, startMs: number, endMs: number): StoredEvent[] {
  return data.events.filter((event) => event.isCancelled !== true && event.showAs !== 'free' && overlaps(event, startMs, endMs));
}

function statusDuring(data: UserData, startMs: number, endMs: number): MicrosoftGraph.FreeBusyStatus {
  let status: MicrosoftGraph.FreeBusyStatus = 'free';
  for (const event of blocking(data, startMs, endMs)) {
    const candidate = event.showAs ?? 'busy';
    if ((STATUS_RANK[candidate] ?? 3) > (STATUS_RANK[status] ?? 0)) status = candidate;
  }
  return status;
}

const isAvailable = (status: MicrosoftGraph.FreeBusyStatus): boolean => status === 'free' || status === 'workingElsewhere';

function withinWorkingHours(startMs: number, endMs: number): boolean {
  const day = new Date(startMs).getUTCDay();
  const dayStart = Math.floor(startMs / DAY) * DAY;
  return day >= 1 && day <= 5 && startMs >= dayStart + WORK_START_HOUR * 3_600_000 && endMs <= dayStart + WORK_END_HOUR * 3_600_000;
}

/** ISO 8601 duration (PnDTnHnMnS) in minutes, or undefined. */
function durationMinutes(value: string): number | undefined {
  const parts = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value);
  if (parts === null || value === 'P' || value.endsWith('T')) return undefined;
  const [days, hours, minutes, seconds] = parts.slice(1).map((part) => Number(part ?? '0')) as [number, number, number, number];
  return days * 1440 + hours * 60 + minutes + seconds / 60;
}

function findMeetingTimes({ data, body, headers, tenantUsers }: GraphContext): GraphReply {
  const zone = preferredZone(headers);
  if (isReply(zone)) return zone;
  const request = objectBody(body ?? {});
  if (isReply(request)) return request;
  const requested = parameter(request, 'meetingDuration') ?? 'PT30M';
  const duration = typeof requested === 'string' ? durationMinutes(requested) : undefined;
  if (duration === undefined || duration <= 0) return graphError(400, 'ErrorInvalidParameter', 'The meetingDuration is not a valid duration.');
  const maxCandidates = Number(parameter(request, 'maxCandidates') ?? 5);
  const minimumConfidence = Number(parameter(request, 'minimumAttendeePercentage') ?? 50);
  const organizerOptional = parameter(request, 'isOrganizerOptional') === true;
  const constraint = (parameter(request, 'timeConstraint') ?? {}) as MicrosoftGraph.TimeConstraint;
  const workOnly = (constraint.activityDomain ?? 'work') === 'work';
  const slots: [number, number][] = [];
  for (const slot of constraint.timeSlots ?? [{ start: utc(Date.now()), end: utc(Date.now() + 2 * DAY) }]) {
    const start = instantOf(slot.start, 'timeSlot.start');
    if (isReply(start)) return start;
    const end = instantOf(slot.end, 'timeSlot.end');
    if (isReply(end)) return end;
    slots.push([start, end]);
  }
  const attendees = ((parameter(request, 'attendees') ?? []) as MicrosoftGraph.AttendeeBase[]).map((attendee) => {
    const address = attendee.emailAddress?.address ?? '';
    return { attendee: { type: attendee.type ?? 'required', emailAddress: { address } }, data: userWithAddress(tenantUsers, address) };
  });

  const step = 30 * MINUTE;
  const candidates: MicrosoftGraph.MeetingTimeSuggestion[] = [];
  let organizerBusy = 0;
  for (const [slotStart, slotEnd] of slots) {
    for (let start = Math.ceil(slotStart / step) * step; start + duration * MINUTE <= slotEnd; start += step) {
      const end = start + duration * MINUTE;
      if (workOnly && !withinWorkingHours(start, end)) continue;
      const organizerAvailability = statusDuring(data, start, end);
      if (!organizerOptional && !isAvailable(organizerAvailability)) {
        organizerBusy++;
        continue;
      }
      const attendeeAvailability = attendees.map(({ attendee, data: other }) => ({
        attendee,
        availability: other === undefined ? 'unknown' as const : statusDuring(other, start, end),
      }));
      const score = attendeeAvailability.reduce((sum, entry) => sum + (entry.availability === 'unknown' ? 0.5 : isAvailable(entry.availability) ? 1 : 0), 0);
      const confidence = attendees.length === 0 ? 100 : Math.round((100 * score) / attendees.length);
      if (confidence < minimumConfidence) continue;
      candidates.push({
        confidence,
        organizerAvailability,
        attendeeAvailability,
        locations: [],
        suggestionReason: confidence === 100 ? 'Suggested because it is one of the nearest times when all attendees are available.' : 'Suggested because it is one of the nearest times when most attendees are available.',
        meetingTimeSlot: { start: inZone(start, zone), end: inZone(end, zone) },
      });
    }
  }
  const suggestions = candidates
    .sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0))
    .slice(0, maxCandidates)
    .map((suggestion, index) => ({ ...suggestion, order: index + 1 }));
  let emptySuggestionsReason = '';
  if (suggestions.length === 0) {
    if (organizerBusy > 0 && candidates.length === 0) emptySuggestionsReason = 'organizerUnavailable';
    else if (attendees.some((attendee) => attendee.data === undefined)) emptySuggestionsReason = 'attendeesUnavailableOrUnknown';
    else emptySuggestionsReason = 'attendeesUnavailable';
  }
  return {
    status: 200,
    headers: preferenceApplied(zone),
    body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult', emptySuggestionsReason, meetingTimeSuggestions: suggestions },
  };
}

function getSchedule({ data, body, headers, tenantUsers }: GraphContext): GraphReply {
  const zone = preferredZone(headers);
  if (isReply(zone)) return zone;
  const request = objectBody(body);
  if (isReply(request)) return request;
  const schedules = parameter(request, 'schedules');
  if (!Array.isArray(schedules) || schedules.length === 0 || schedules.length > 100 || schedules.some((entry) => typeof entry !== 'string')) {
    return graphError(400, 'ErrorInvalidParameter', 'Schedules must name between 1 and 100 SMTP addresses.');
  }
  const startMs = instantOf(parameter(request, 'startTime'), 'startTime');
  if (isReply(startMs)) return startMs;
  const endMs = instantOf(parameter(request, 'endTime'), 'endTime');
  if (isReply(endMs)) return endMs;
  if (!(endMs > startMs) || endMs - startMs > MAX_SCHEDULE_DAYS * DAY) {
    return graphError(400, 'ErrorInvalidParameter', `The time window must end after it starts and span at most ${MAX_SCHEDULE_DAYS} days.`);
  }
  const interval = Number(parameter(request, 'availabilityViewInterval') ?? 30);
  if (!Number.isInteger(interval) || interval < 5 || interval > 1440) {
    return graphError(400, 'ErrorInvalidParameter', 'availabilityViewInterval must be between 5 and 1440 minutes.');
  }
  const value = (schedules as string[]).map((address): MicrosoftGraph.ScheduleInformation => {
    const owner = userWithAddress(tenantUsers, address);
    if (owner === undefined) {
      return { scheduleId: address, availabilityView: '', scheduleItems: [], error: { message: `The user '${address}' could not be found in this organization.`, responseCode: 'ErrorMailRecipientNotFound' } };
    }
    // Free/busy only: subjects and locations are shown for the caller's own calendar, never for anyone else's.
    const own = owner === data;
    const items = blocking(owner, startMs, endMs).sort(byStart);
    const scheduleItems = items.map((event): MicrosoftGraph.ScheduleItem => ({
      isPrivate: event.sensitivity === 'private',
      status: event.showAs ?? 'busy',
      start: inZone(storedMs(event.start), zone),
      end: inZone(storedMs(event.end), zone),
      ...(own && { subject: event.subject ?? '', location: event.location?.displayName ?? '' }),
    }));
    let availabilityView = '';
    for (let slot = startMs; slot < endMs; slot += interval * MINUTE) {
      availabilityView += VIEW_DIGIT[statusDuring(owner, slot, Math.min(slot + interval * MINUTE, endMs))] ?? '2';
    }
    return {
      scheduleId: address,
      availabilityView,
      scheduleItems,
      workingHours: {
        daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        startTime: `${String(WORK_START_HOUR).padStart(2, '0')}:00:00.0000000`,
        endTime: `${String(WORK_END_HOUR).padStart(2, '0')}:00:00.0000000`,
        timeZone: { name: 'UTC' },
      },
    };
  });
  return {
    status: 200,
    headers: preferenceApplied(zone),
    body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)', value },
  };
}

// ---- Routes.

const EVENT = /^\/me\/events\/([^/]+)$/;

export const calendarRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: /^\/me\/calendarView$/,
    anyScope: READ,
    handle: ({ data, url, headers }) => {
      const start = queryParameter(url, 'startDateTime');
      const end = queryParameter(url, 'endDateTime');
      if (start === null || end === null) {
        return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
      }
      // Without an offset Graph reads the value as UTC.
      const startMs = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(start) ? start : `${start}Z`);
      const endMs = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(end) ? end : `${end}Z`);
      if (Number.isNaN(startMs) || Number.isNaN(endMs)) {
        return graphError(400, 'ErrorInvalidParameter', `The value '${Number.isNaN(startMs) ? start : end}' of parameter '${Number.isNaN(startMs) ? 'StartDateTime' : 'EndDateTime'}' is invalid.`);
      }
      const zone = preferredZone(headers);
      if (isReply(zone)) return zone;
      const events = data.events.filter((event) => overlaps(event, startMs, endMs)).sort(byStart).map((event) => rendered(event, zone));
      return { status: 200, body: page(events, url, 10), headers: preferenceApplied(zone) };
    },
  },
  {
    method: 'GET',
    pattern: EVENT,
    anyScope: READ,
    handle: ({ data, url, params, headers }) => {
      const event = findEvent(data, params[0]);
      if (event === undefined) return notFound();
      const zone = preferredZone(headers);
      if (isReply(zone)) return zone;
      return { status: 200, body: select(rendered(event, zone), url.searchParams), headers: preferenceApplied(zone) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/me\/events$/,
    anyScope: WRITE,
    handle: ({ data, body, headers }) => {
      const input = objectBody(body);
      if (isReply(input)) return input;
      if (input['start'] === undefined || input['end'] === undefined) {
        return graphError(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. An event needs a start and an end.');
      }
      const zone = preferredZone(headers);
      if (isReply(zone)) return zone;
      const id = `${data.user.key}-event-${randomUUID()}`;
      const event = newEvent(data, { id, subject: '', startMs: 0, endMs: 0, organizer: { name: data.profile.displayName ?? data.user.name, address: data.user.upn } });
      const invalid = applyWrite(event, input);
      if (invalid !== undefined) return invalid;
      data.events.push(event);
      // The answer shows each time in the zone it was given in, unless Prefer asks for another.
      const startZone = zone !== UTC ? zone : zoneNamed(event.originalStartTimeZone ?? 'UTC') ?? UTC;
      const endZone = zone !== UTC ? zone : zoneNamed(event.originalEndTimeZone ?? 'UTC') ?? UTC;
      return { status: 201, body: rendered(event, startZone, endZone), headers: preferenceApplied(zone) };
    },
  },
  {
    method: 'PATCH',
    pattern: EVENT,
    anyScope: WRITE,
    handle: ({ data, params, body, headers }) => {
      const event = findEvent(data, params[0]);
      if (event === undefined) return notFound();
      const input = objectBody(body);
      if (isReply(input)) return input;
      const zone = preferredZone(headers);
      if (isReply(zone)) return zone;
      // Work on a copy so a rejected patch changes nothing.
      const updated: StoredEvent = structuredClone(event);
      const invalid = applyWrite(updated, input);
      if (invalid !== undefined) return invalid;
      data.events[data.events.indexOf(event)] = updated;
      return { status: 200, body: rendered(updated, zone), headers: preferenceApplied(zone) };
    },
  },
  {
    method: 'DELETE',
    pattern: EVENT,
    anyScope: WRITE,
    handle: ({ data, params }) => {
      const event = findEvent(data, params[0]);
      if (event === undefined) return notFound();
      data.events.splice(data.events.indexOf(event), 1);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: /^\/me\/events\/([^/]+)\/cancel$/,
    anyScope: WRITE,
    handle: ({ data, params, body }) => {
      const event = findEvent(data, params[0]);
      if (event === undefined) return notFound();
      const input = objectBody(body ?? {});
      if (isReply(input)) return input;
      const comment = parameter(input, 'comment');
      if (comment !== undefined && typeof comment !== 'string') return graphError(400, 'ErrorInvalidRequest', 'Comment must be a string.');
      if (event.isOrganizer !== true) {
        return graphError(400, 'ErrorAccessDenied', 'Your request can\'t be completed. You need to be an organizer to cancel a meeting.');
      }
      // Graph moves it to Deleted Items; the calendar no longer shows it.
      data.events.splice(data.events.indexOf(event), 1);
      return { status: 202 };
    },
  },
  { method: 'POST', pattern: /^\/me\/findMeetingTimes$/, anyScope: MEETING_TIMES, handle: findMeetingTimes },
  { method: 'POST', pattern: /^\/me\/calendar\/getSchedule$/i, anyScope: READ, handle: getSchedule },
];

// ---- Seed.

interface Template {
  /** Days after this week's Monday. */
  readonly day: number;
  /** `HH:MM` UTC; absent for all-day events. */
  readonly at?: string;
  readonly minutes?: number;
  readonly subject: string;
  /** Mail nickname of the organizer in the user's domain; absent: the user. */
  readonly organizer?: string;
  readonly attendees?: readonly [nickname: string, type: 'required' | 'optional'][];
  readonly showAs?: MicrosoftGraph.FreeBusyStatus;
  readonly location?: string;
  readonly online?: boolean;
  readonly cancelled?: boolean;
  readonly sensitivity?: MicrosoftGraph.Sensitivity;
  readonly body: string;
}

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  AdeleV: 'Adele Vance', AlexW: 'Alex Wilber', MeganB: 'Megan Bowen', LeeG: 'Lee Gu', NestorW: 'Nestor Wilke', PattiF: 'Patti Fernandez',
  LynneR: 'Lynne Robbins', ChristieC: 'Christie Cline', DiegoS: 'Diego Siciliani', IsaiahL: 'Isaiah Langer',
};

const WEEKS: Readonly<Record<string, readonly Template[]>> = {
  adele: [
    { day: 0, at: '09:00', minutes: 30, subject: 'Retail team stand-up', attendees: [['AlexW', 'required'], ['LeeG', 'optional']], online: true, location: 'Microsoft Teams Meeting', body: 'Daily check-in on store performance and stock issues.' },
    { day: 1, at: '13:00', minutes: 90, subject: 'Store visit: Redmond', location: 'Redmond flagship store', body: 'Walk the floor with the store manager; review the new displays.' },
    { day: 2, at: '10:00', minutes: 60, subject: '1:1 with Lee', organizer: 'LeeG', attendees: [['AdeleV', 'required']], location: 'Office 18/2101', body: 'Career development and Q3 goals.' },
    { day: 2, at: '12:00', minutes: 60, subject: 'Lunch with Nestor', showAs: 'free', location: 'Cafeteria', body: 'Catch up over lunch.' },
    { day: 3, subject: 'Retail leadership training', organizer: 'PattiF', attendees: [['AdeleV', 'required']], showAs: 'oof', location: 'Building 4', body: 'Full-day training off site.' },
    { day: 4, at: '09:00', minutes: 90, subject: 'Quarterly planning', organizer: 'PattiF', attendees: [['AdeleV', 'required'], ['NestorW', 'required']], showAs: 'tentative', sensitivity: 'private', body: 'Confidential: Q3 budget and headcount.' },
    { day: 4, at: '15:00', minutes: 60, subject: 'Vendor review', organizer: 'NestorW', attendees: [['AdeleV', 'required']], cancelled: true, body: 'Review of the autumn collection suppliers.' },
  ],
  alex: [
    { day: 0, at: '09:00', minutes: 30, subject: 'Retail team stand-up', organizer: 'AdeleV', attendees: [['AlexW', 'required'], ['LeeG', 'optional']], online: true, location: 'Microsoft Teams Meeting', body: 'Daily check-in on store performance and stock issues.' },
    { day: 0, at: '14:00', minutes: 60, subject: 'Campaign review', attendees: [['AdeleV', 'required']], online: true, body: 'Spring campaign: creative review and sign-off.' },
    { day: 1, at: '10:00', minutes: 90, subject: 'Marketing sync', attendees: [['LynneR', 'required']], location: 'Conference Room Rainier', body: 'Weekly marketing status.' },
    { day: 2, at: '16:00', minutes: 60, subject: 'Focus time: launch copy', body: 'Write the launch blog post.' },
    { day: 3, at: '11:00', minutes: 60, subject: 'Brand workshop', organizer: 'LynneR', attendees: [['AlexW', 'optional']], showAs: 'tentative', location: 'Conference Room Baker', body: 'Brand guidelines refresh.' },
    { day: 4, subject: 'Trade show', showAs: 'oof', location: 'Convention Center', body: 'At the booth all day.' },
  ],
  megan: [
    { day: 0, at: '10:00', minutes: 60, subject: 'Product roadmap review', attendees: [['ChristieC', 'required']], online: true, body: 'H2 roadmap priorities.' },
    { day: 1, at: '09:00', minutes: 30, subject: 'Daily scrum', online: true, body: 'Yesterday, today, blockers.' },
    { day: 2, at: '14:00', minutes: 60, subject: 'Customer call: Fabrikam Retail', organizer: 'DiegoS', attendees: [['MeganB', 'required']], body: 'Feedback on the beta.' },
    { day: 3, at: '13:00', minutes: 60, subject: 'Design critique', organizer: 'IsaiahL', attendees: [['MeganB', 'optional']], showAs: 'tentative', body: 'New onboarding flow.' },
    { day: 4, at: '12:00', minutes: 60, subject: 'Lunch & learn: accessibility', showAs: 'free', location: 'Room 2A', body: 'Bring your lunch.' },
    { day: 4, at: '16:00', minutes: 60, subject: 'Release retro', body: 'What went well, what did not.' },
  ],
};

/** Monday 00:00 UTC of the current week: seeded events are "this week" whenever tests run. */
export function currentWeekStart(now = Date.now()): number {
  const today = Math.floor(now / DAY) * DAY;
  return today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
}

/** The day (00:00 UTC) holding 120 short events per user, for paging. */
export function pagingDay(now = Date.now()): number {
  return Math.floor(now / DAY) * DAY + 35 * DAY;
}

export const PAGING_EVENT_COUNT = 120;

/** Seeds this week's meetings (different per user) and a day of 120 office-hour slots. */
export function seedCalendar(data: UserData): void {
  const domain = data.user.upn.split('@')[1] ?? 'example.com';
  const self = { name: data.profile.displayName ?? data.user.name, address: data.user.upn };
  const person = (nickname: string) => ({ name: DISPLAY_NAMES[nickname] ?? nickname, address: `${nickname}@${domain}` });
  const weekStart = currentWeekStart();
  const templates = WEEKS[data.user.key] ?? [];
  data.events = templates.map((template, index) => {
    const [hours = 0, minutes = 0] = (template.at ?? '00:00').split(':').map(Number);
    const startMs = weekStart + template.day * DAY + (hours * 60 + minutes) * MINUTE;
    return newEvent(data, {
      id: `${data.user.key}-event-${String(index).padStart(3, '0')}`,
      subject: template.subject,
      startMs,
      endMs: template.at === undefined ? startMs + DAY : startMs + (template.minutes ?? 30) * MINUTE,
      isAllDay: template.at === undefined,
      organizer: template.organizer === undefined ? self : person(template.organizer),
      attendees: (template.attendees ?? []).map(([nickname, type]) => ({
        type,
        emailAddress: person(nickname),
        status: { response: 'accepted', time: new Date(weekStart).toISOString() },
      })),
      ...(template.showAs !== undefined && { showAs: template.showAs }),
      ...(template.location !== undefined && { location: template.location }),
      ...(template.online !== undefined && { online: template.online }),
      ...(template.cancelled !== undefined && { cancelled: template.cancelled }),
      ...(template.sensitivity !== undefined && { sensitivity: template.sensitivity }),
      bodyText: template.body,
    });
  });
  const firstName = self.name.split(' ')[0] ?? self.name;
  const day = pagingDay();
  for (let index = 0; index < PAGING_EVENT_COUNT; index++) {
    const startMs = day + 2 * 3_600_000 + index * 10 * MINUTE;
    data.events.push(newEvent(data, {
      id: `${data.user.key}-slot-${String(index).padStart(3, '0')}`,
      subject: `${firstName}'s office hours #${index + 1}`,
      startMs,
      endMs: startMs + 10 * MINUTE,
      organizer: self,
      location: 'Microsoft Teams Meeting',
      online: true,
      bodyText: 'Drop in with questions.',
    }));
  }
}
