// One record per caller per hour per instance: unsampled, so the workbook counts active users exactly enough.
import { ATTR, RECORD } from '../attributes/names.js';
import { telemetryActive } from '../start/activation.js';
import { emitRecord } from './telemetryLogger.js';

const HOUR_MS = 3_600_000;
/** Callers remembered per hour on one instance; past it, further callers that hour go unrecorded. */
const MAX_CALLERS = 50_000;

let hour = -1;
const seen = new Set<string>();

/** Notes that a verified caller made a request (tenant id and object id only). */
export function noteActiveCaller(tid: string, oid: string, now: number = Date.now()): void {
  if (!telemetryActive()) return;
  const current = Math.floor(now / HOUR_MS);
  if (current !== hour) {
    hour = current;
    seen.clear();
  }
  const key = `${tid} ${oid}`;
  if (seen.has(key) || seen.size >= MAX_CALLERS) return;
  seen.add(key);
  emitRecord('info', RECORD.callerActive, { [ATTR.tenantId]: tid, [ATTR.userOid]: oid });
}
