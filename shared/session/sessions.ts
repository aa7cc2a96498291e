// Stateful mode's rules on top of the store: sessions pinned to one user, expiring, failing closed.
import type { VerifiedCaller } from '../auth/identity.js';
import { HttpError } from '../http/httpError.js';
import type { Logger } from '../log/logger.js';
import { StoreError } from '../tables/storeError.js';
import { boundedJson } from './clientJson.js';
import { expiresAt, isExpired, isSessionId, needsTouch, newSessionId, type SessionLimits } from './sessionPolicy.js';
import type { SessionRecord, SessionStore } from './sessionStore.js';

export interface Sessions {
  /** Stores a new session for the caller; returns its id. */
  begin(caller: VerifiedCaller, protocolVersion: string, clientInfo: unknown, capabilities: unknown): Promise<string>;
  /** The live session named by the `Mcp-Session-Id` header (400 without one, 404 unknown or expired). */
  require(id: string | null): Promise<SessionRecord>;
  /** Records activity, at most one write a minute per session; a failed write only logs. */
  seen(record: SessionRecord, log: Logger): Promise<void>;
  end(id: string): Promise<void>;
}

/** Sessions fail closed: without the store we cannot tell whose a session is. */
function unavailable(error: unknown): never {
  if (error instanceof StoreError && error.code === 'unavailable') {
    throw new HttpError('store_unavailable', 'Session storage is unavailable; retry shortly', { headers: { 'retry-after': '5' }, cause: error });
  }
  throw error;
}

export function createSessions(store: SessionStore, limits: SessionLimits, now: () => number = Date.now): Sessions {
  return {
    async begin(caller, protocolVersion, clientInfo, capabilities) {
      const time = now();
      const absoluteExpiresAt = time + limits.maxMs;
      const record: SessionRecord = {
        id: newSessionId(),
        tid: caller.identity.tid,
        oid: caller.identity.oid,
        appId: caller.identity.appId,
        protocolVersion,
        clientInfo: boundedJson(clientInfo ?? {}, { maxChars: 4096, maxDepth: 8 }),
        capabilities: boundedJson(capabilities ?? {}, { maxChars: 8192, maxDepth: 8 }),
        createdAt: time,
        lastSeenAt: time,
        expiresAt: expiresAt(time, absoluteExpiresAt, limits),
        absoluteExpiresAt,
      };
      await store.create(record).catch(unavailable);
      return record.id;
    },
    async require(id) {
      if (id === null || id === '') throw new HttpError('session_required', 'Bad Request: send the Mcp-Session-Id header you got from initialize');
      // Checked before the store sees it: a key with `/`, `#` or `?` is a storage error there, not a miss.
      if (!isSessionId(id)) throw new HttpError('session_not_found', 'Session not found; initialize a new session');
      const record = await store.get(id).catch(unavailable);
      if (record === undefined || isExpired(record, now())) throw new HttpError('session_not_found', 'Session not found or expired; initialize a new session');
      return record;
    },
    async seen(record, log) {
      const time = now();
      if (!needsTouch(record, time)) return;
      await store.touch(record.id, time, expiresAt(time, record.absoluteExpiresAt, limits))
        .catch((error: unknown) => log.warn('session last-seen not written', { session: record.id, error: error instanceof Error ? error.message : String(error) }));
    },
    async end(id) {
      await store.delete(id).catch(unavailable);
    },
  };
}
