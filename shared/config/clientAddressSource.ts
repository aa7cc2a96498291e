// MCP_CLIENT_ADDRESS_SOURCE: which proxies in front of the app are trusted to say where a request came from.
import * as z from 'zod';
import { FUNCTIONS_ALONE, type ClientAddressSource } from '../http/clientAddress.js';

/** More proxies than any real chain; the count is the number of entries read from the right. */
export const MAX_FORWARDED_HOPS = 10;

const NAMED: ReadonlyMap<string, ClientAddressSource> = new Map([
  ['functions', FUNCTIONS_ALONE],
  // Front Door appends the address it was connected from; Azure's front end then appends Front Door's.
  ['front-door', { forwardedForEntry: 2 }],
  // Nothing in front appends (a host without Azure's front end): whatever the header says, the caller wrote it.
  ['none', { forwardedForEntry: 0 }],
]);

const USAGE = `must be functions, front-door, x-forwarded-for:<n> (the n-th X-Forwarded-For entry from the right, 1-${MAX_FORWARDED_HOPS}) or none`;

/**
 * `functions` (Azure Functions alone), `front-door`, `x-forwarded-for:<n>` or `none`, in any case. Front Door's
 * X-Azure-ClientIP is refused by name: Front Door takes it from the caller's own X-Forwarded-For when there is one,
 * so the caller would choose its key.
 */
export const clientAddressSource = z.string().transform((value, context): ClientAddressSource => {
  const text = value.toLowerCase();
  const named = NAMED.get(text);
  if (named !== undefined) return named;
  const counted = /^x-forwarded-for:(\d{1,2})$/.exec(text);
  const entry = counted === null ? Number.NaN : Number(counted[1]);
  if (entry >= 1 && entry <= MAX_FORWARDED_HOPS) return { forwardedForEntry: entry };
  const message = text === 'x-azure-clientip'
    ? 'x-azure-clientip is Front Door\'s reading of the caller\'s own X-Forwarded-For, which the caller writes; use front-door, the address Front Door was connected from'
    : USAGE;
  context.addIssue({ code: 'custom', message });
  return z.NEVER;
});
