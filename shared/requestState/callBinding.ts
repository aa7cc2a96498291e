// What a multi-round state is bound to: the caller (tenant, user, client app) and the call (tool, arguments).
import { createHash } from 'node:crypto';
import type { Identity } from '../auth/identity.js';

export interface CallBinding {
  readonly tid: string;
  readonly oid: string;
  /** The client app (`azp`/`appid`); empty when the token named none. */
  readonly appId: string;
  readonly tool: string;
  /** SHA-256 (base64url) of the arguments as the tool's schema parsed them, keys sorted. */
  readonly argumentsHash: string;
}

/** JSON with every object's keys sorted, so the same arguments hash alike whatever order a client sends them in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function bindingOf(identity: Identity, tool: string, input: Record<string, unknown>): CallBinding {
  return {
    tid: identity.tid,
    oid: identity.oid,
    appId: identity.appId ?? '',
    tool,
    argumentsHash: createHash('sha256').update(canonical(input)).digest('base64url'),
  };
}
