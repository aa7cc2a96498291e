// Input pieces and checks the calendar tools share, so dates, zones and addresses read the same in every tool.
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { lazily } from '../schemas.js';

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
/** Real zones lie between -12:00 and +14:00; ISO 8601 allows up to 23:59, which no zone uses and Date.parse refuses. */
const REAL_OFFSET = /^(Z|\+((0\d|1[0-3]):[0-5]\d|14:00)|-((0\d|1[01]):[0-5]\d|12:00))$/;
const DAY_MS = 86_400_000;
/** Graph's and ISO 8601's four-digit years: an instant outside them cannot be written back as a date Graph reads. */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');
const OUT_OF_RANGE = 'must fall within the years 0001 to 9999 once its offset or time zone is applied';

/** Date.parse rolls 2025-02-30 over to March; a calendar tool must refuse it instead. */
function isRealWallTime(value: string): boolean {
  const parts = WALL.exec(value);
  if (parts === null) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute;
}

/**
 * An instant: the offset makes it mean the same whatever zone Graph answers in. Checked by refinement,
 * not a JSON Schema pattern, to keep tools/list small; each way to be wrong has its own message.
 */
export const instantInput = lazily(() => z.string().max(40).superRefine((value, context) => {
  if (!INSTANT.test(value) || !isRealWallTime(value.replace(OFFSET, ''))) {
    context.addIssue({ code: 'custom', message: 'must be ISO 8601 with Z or an offset, e.g. 2025-03-10T09:00:00+01:00' });
  } else if (!REAL_OFFSET.test(OFFSET.exec(value)?.[0] ?? '')) {
    context.addIssue({ code: 'custom', message: 'must have an offset between -12:00 and +14:00 (minutes 00-59), or Z' });
  } else if (!isWithinYears(Date.parse(value))) {
    context.addIssue({ code: 'custom', message: OUT_OF_RANGE });
  }
}));

function isWithinYears(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** Graph accepts IANA and Windows names; the pattern also keeps quotes and line breaks out of the Prefer header. */
export const timeZoneInput = lazily(() => z.string().min(1).max(64).regex(/^[A-Za-z][\w+\-/ .]*$/, 'must be an IANA or Windows time zone name'));

export const optionalTimeZone = lazily(() => timeZoneInput().default('UTC').describe('IANA or Windows zone for returned times'));

/** Graph's dateTimeTimeZone: a wall-clock time and the zone it is in. */
export const dateTimeTimeZoneInput = lazily(() => z.object({
  dateTime: z.string().max(27).refine(isRealWallTime, 'must be a local date and time without offset, e.g. 2025-03-10T09:00:00'),
  timeZone: timeZoneInput().default('UTC'),
}).superRefine((value, context) => {
  // 9999-12-31T23:59 west of UTC is already year 10000. Windows zone names only Graph can place.
  const instant = isRealWallTime(value.dateTime) ? wallTimeToInstant(value) : undefined;
  if (instant !== undefined && !isWithinYears(instant)) context.addIssue({ code: 'custom', message: OUT_OF_RANGE, path: ['dateTime'] });
}));
export type DateTimeTimeZoneInput = z.output<ReturnType<typeof dateTimeTimeZoneInput>>;

const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]+$/;
export const emailInput = lazily(() => z.string().min(3).max(320).refine((value) => EMAIL.test(value), 'must be an email address'));

export const attendeeInput = lazily(() => z.object({
  email: emailInput(),
  type: z.enum(['required', 'optional']).default('required'),
}));

/** The first address that appears twice, compared as Exchange does: without case. */
function repeated(addresses: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const address of addresses) {
    const key = address.toLowerCase();
    if (seen.has(key)) return address;
    seen.add(key);
  }
  return undefined;
}

/**
 * A list of people, each at most once: a repeated attendee would be counted as two invitations and get one,
 * and for the same person `required` and `optional` cannot both hold. Refused rather than merged, so the caller
 * says which it meant.
 */
export function attendeesInput(min: number, max: number) {
  return z.array(attendeeInput()).min(min).max(max).superRefine((attendees, context) => {
    const twice = repeated(attendees.map((attendee) => attendee.email));
    if (twice !== undefined) context.addIssue({ code: 'custom', message: `lists ${twice} more than once (addresses are compared without case)` });
  });
}

/** Email addresses, each at most once (compared without case). */
export function addressesInput(min: number, max: number) {
  return z.array(emailInput()).min(min).max(max).superRefine((addresses, context) => {
    const twice = repeated(addresses);
    if (twice !== undefined) context.addIssue({ code: 'custom', message: `lists ${twice} more than once (addresses are compared without case)` });
  });
}

/** Graph's `Prefer` header that makes it answer dateTimes in `timeZone`. */
export function preferTimeZone(timeZone: string): Record<string, string> {
  return { Prefer: `outlook.timezone="${timeZone}"` };
}

/** The instants of a window; throws `GraphError` `bad_request` when end is not after start or the window is longer than `maxDays`. */
export function checkWindow(start: string, end: string, maxDays: number): { startMs: number; endMs: number } {
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if (!(endMs > startMs)) throw new GraphError('bad_request', 'end must be after start');
  if (endMs - startMs > maxDays * DAY_MS) throw new GraphError('bad_request', `The window from start to end may span at most ${maxDays} days`);
  return { startMs, endMs };
}

/** An instant as Graph's dateTimeTimeZone in UTC (offsets are not allowed inside dateTime). */
export function utcDateTime(ms: number): { dateTime: string; timeZone: string } {
  return { dateTime: new Date(ms).toISOString().slice(0, 19), timeZone: 'UTC' };
}

function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(parts['year'] ?? 0, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time means in an IANA zone (or UTC); undefined for names Intl does not know
 * (Windows names), which then only Graph can check.
 */
export function wallTimeToInstant(value: DateTimeTimeZoneInput): number | undefined {
  const asUtc = Date.parse(`${value.dateTime}Z`);
  if (Number.isNaN(asUtc)) return undefined;
  if (value.timeZone.toUpperCase() === 'UTC') return asUtc;
  try {
    const first = asUtc - zoneOffsetMs(asUtc, value.timeZone);
    return asUtc - zoneOffsetMs(first, value.timeZone);
  } catch {
    return undefined;
  }
}

/** Throws `GraphError` `bad_request` when an event would end before it starts (when both zones can be compared here). */
export function checkEventTimes(start: DateTimeTimeZoneInput | undefined, end: DateTimeTimeZoneInput | undefined): void {
  if (start === undefined || end === undefined) return;
  const sameZone = start.timeZone.toLowerCase() === end.timeZone.toLowerCase();
  const startMs = sameZone ? Date.parse(`${start.dateTime}Z`) : wallTimeToInstant(start);
  const endMs = sameZone ? Date.parse(`${end.dateTime}Z`) : wallTimeToInstant(end);
  if (startMs !== undefined && endMs !== undefined && !(endMs > startMs)) throw new GraphError('bad_request', 'end must be after start');
}
