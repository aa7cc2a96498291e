// The hosted-agent platform's per-user isolation: each turn's opaque call id, and whom it is for, as container protocol 2.0.0 carries them.
import { createHash, randomBytes } from 'node:crypto';

/**
 * Headers the platform puts on each request it sends a hosted agent's container (container protocol 2.0.0):
 * `x-agent-user-id`, the user's partition key, for the container's own per-user state and never forwarded;
 * `x-agent-foundry-call-id`, an opaque id of this request, which the container forwards on its toolbox calls
 * so the toolbox can tell which user the call is for. (The platform strips the user's `Authorization`.)
 */
export const USER_ID_HEADER = 'x-agent-user-id';
export const CALL_ID_HEADER = 'x-agent-foundry-call-id';

export interface Turn {
  readonly [USER_ID_HEADER]: string;
  readonly [CALL_ID_HEADER]: string;
}

export interface Turns {
  /** A user's message reaches the container: the headers of that request. */
  start(user: string): Turn;
  /** Whom a call id is for, while its turn lasts; undefined for an id the platform never gave or that is over. */
  userOf(callId: string): string | undefined;
}

// A turn's call id is good for the turn, not forever: a container that kept one could otherwise act for that user later.
const TURN_LIFETIME_MS = 10 * 60_000;

export function createTurns(now: () => number = Date.now): Turns {
  const calls = new Map<string, { user: string; expiresAt: number }>();
  const salt = randomBytes(16);
  return {
    start: (user) => {
      const callId = randomBytes(24).toString('base64url');
      calls.set(callId, { user, expiresAt: now() + TURN_LIFETIME_MS });
      return { [USER_ID_HEADER]: createHash('sha256').update(salt).update(user).digest('hex').slice(0, 32), [CALL_ID_HEADER]: callId };
    },
    userOf: (callId) => {
      const call = calls.get(callId);
      if (call === undefined) return undefined;
      if (call.expiresAt <= now()) {
        calls.delete(callId);
        return undefined;
      }
      return call.user;
    },
  };
}
