// The one place an audit entry becomes stored columns: every caller-supplied value bounded and cleaned, so no writer can
// store a megabyte of tool name, a forged log line or a terminal escape.
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from './auditLog.js';

/** The columns of an audit row, as stored. */
export interface AuditRow {
  readonly time: number;
  readonly tid: string;
  readonly oid: string;
  readonly upn?: string;
  readonly name?: string;
  readonly appId?: string;
  readonly tool: string;
  readonly targetId?: string;
  readonly createdId?: string;
  readonly outcome: AuditEntry['outcome'];
  readonly errorCode?: string;
  /** Letters, digits, `.`, `_` and `-` only: it is part of the row key. */
  readonly correlationId: string;
  readonly traceId?: string;
  readonly recipientCount?: number;
  /** Comma-separated, sorted, at most `MAX_RECIPIENT_DOMAINS`, then `+N more`. */
  readonly recipientDomains?: string;
}

/** Longest value kept per column (UTF-16 units); longer ones end in `…`. Table Storage allows 32 K per string. */
export const AUDIT_LIMITS = {
  tid: 64,
  oid: 64,
  upn: 320,
  name: 256,
  appId: 64,
  // MCP tool names are at most 128 characters; a longer one is someone else's.
  tool: 128,
  targetId: 512,
  createdId: 512,
  errorCode: 64,
  correlationId: 64,
  traceId: 32,
  domain: 253,
} as const;
export const MAX_RECIPIENT_DOMAINS = 10;

// C0 and C1 controls (CR, LF, NUL, the ESC of ANSI sequences), line and paragraph separators, bidirectional
// overrides that reorder what an admin reads, and lone surrogates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NOT_KEY_SAFE = /[^A-Za-z0-9._-]/g;

/** `value` with unsafe characters replaced by U+FFFD and cut to `max` units (the last one `…` when cut). */
function auditText(value: string, max: number): string {
  const cut = value.length > max;
  const clean = (cut ? value.slice(0, max - 1) : value).replace(UNSAFE, '\ufffd');
  return cut ? `${clean}…` : clean;
}

function optional(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : auditText(value, max);
}

/** Table keys refuse `/`, `\`, `#`, `?` and controls; an id from elsewhere (Entra's correlation id) keeps only safe characters. */
function keySafe(value: string, max: number): string {
  const safe = value.slice(0, max).replace(NOT_KEY_SAFE, '_');
  return safe === '' ? randomUUID() : safe;
}

function domainsColumn(domains: readonly string[] | undefined): string | undefined {
  if (domains === undefined) return undefined;
  const distinct = [...new Set(domains.map((domain) => auditText(domain.toLowerCase(), AUDIT_LIMITS.domain).replaceAll(',', '\ufffd')).filter((domain) => domain !== ''))].sort();
  const kept = distinct.slice(0, MAX_RECIPIENT_DOMAINS);
  if (distinct.length > kept.length) kept.push(`+${distinct.length - kept.length} more`);
  return kept.join(',');
}

/** Bounds and cleans every column. Absent values stay absent; nothing throws. */
export function toAuditRow(entry: AuditEntry): AuditRow {
  const columns: Record<string, string | number | undefined> = {
    time: Number.isFinite(entry.time) ? entry.time : Date.now(),
    tid: auditText(entry.tid, AUDIT_LIMITS.tid),
    oid: auditText(entry.oid, AUDIT_LIMITS.oid),
    upn: optional(entry.upn, AUDIT_LIMITS.upn),
    name: optional(entry.name, AUDIT_LIMITS.name),
    appId: optional(entry.appId, AUDIT_LIMITS.appId),
    tool: auditText(entry.tool, AUDIT_LIMITS.tool),
    targetId: optional(entry.targetId, AUDIT_LIMITS.targetId),
    createdId: optional(entry.createdId, AUDIT_LIMITS.createdId),
    outcome: entry.outcome,
    errorCode: optional(entry.errorCode, AUDIT_LIMITS.errorCode),
    correlationId: keySafe(entry.correlationId, AUDIT_LIMITS.correlationId),
    traceId: optional(entry.traceId, AUDIT_LIMITS.traceId),
    recipientCount: entry.recipientCount !== undefined && Number.isSafeInteger(entry.recipientCount) && entry.recipientCount >= 0 ? entry.recipientCount : undefined,
    recipientDomains: domainsColumn(entry.recipientDomains),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined)) as unknown as AuditRow;
}

/** Partition key: a tenant's day. The tid comes from a verified token, but a key must never be malformed. */
export function auditPartition(tid: string, time: number): string {
  return `${keySafe(tid, AUDIT_LIMITS.tid)}_${new Date(time).toISOString().slice(0, 10).replaceAll('-', '')}`;
}
