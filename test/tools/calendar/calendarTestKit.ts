// Shared by the calendar tests: tool calls through a real MCP client, error codes, and dates around the seeded week.

export { callTool as call, connectAs as clientFor, errorCode, structuredOf } from '../../support/toolCalls.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const iso = (ms: number): string => new Date(ms).toISOString();

/** `YYYY-MM-DDTHH:mm:ss` of an instant in UTC, as Graph writes wall-clock times. */
export const utcWall = (ms: number): string => iso(ms).slice(0, 19);

/** Wall-clock `YYYY-MM-DDTHH:mm:ss` of an instant in an IANA zone. */
export function wallIn(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms).map((part) => [part.type, part.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}
