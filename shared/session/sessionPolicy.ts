// When a session is new, expired, or due a last-seen write.
import { randomBytes } from 'node:crypto';
import type { SessionRecord } from './sessionStore.js';

export interface SessionLimits {
  readonly idleMs: number;
  readonly maxMs: number;
}

/** Last-seen moves at most once a minute per session: one write per minute, not one per request. */
export const TOUCH_INTERVAL_MS = 60_000;

export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}

const SESSION_ID = /^[0-9a-f]{32}$/;

/** The shape `newSessionId` makes: anything else was never ours, and never reaches the store as a key. */
export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

/** `lastSeenAt` lags by up to one touch interval, so the idle limit allows for it: a session in steady use never idles out. */
export function expiresAt(lastSeenAt: number, absoluteExpiresAt: number, limits: SessionLimits): number {
  return Math.min(lastSeenAt + limits.idleMs + TOUCH_INTERVAL_MS, absoluteExpiresAt);
}

export function isExpired(record: SessionRecord, now: number): boolean {
  return now >= record.expiresAt || now >= record.absoluteExpiresAt;
}

export function needsTouch(record: SessionRecord, now: number): boolean {
  return now - record.lastSeenAt >= TOUCH_INTERVAL_MS;
}
