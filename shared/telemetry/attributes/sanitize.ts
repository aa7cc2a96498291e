// The one filter every span attribute and log record passes: no tokens, no user principal names, no user content.
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { redact } from '../../log/logger.js';

/** What a refused attribute or text is replaced with; the key stays, so a reader sees something was held back. */
export const WITHHELD = '[withheld]';
/** What UPN-shaped text inside a value is replaced with. */
export const WITHHELD_UPN = '[withheld-upn]';

/** Telemetry is for operating the service: longer values are either user content or a stack, and both are cut. */
const MAX_TEXT = 512;

// Keys that name a person or carry what the user wrote, read or searched for. Whole keys:
const WITHHELD_KEYS = new Set(['name', 'user', 'username', 'url.full', 'url.query', 'url.path', 'http.route']);
// ... and the last dotted segment of any key (`user.email`, `gen_ai.tool.call.arguments`, `db.query.text`):
const WITHHELD_SEGMENTS = new Set([
  'upn', 'preferred_username', 'unique_name', 'email', 'mail', 'displayname', 'given_name', 'family_name',
  'subject', 'body', 'bodypreview', 'preview', 'content', 'text', 'query', 'search', 'arguments', 'result',
  'to', 'cc', 'bcc', 'recipients', 'attendees', 'filename', 'path',
  'token', 'access_token', 'id_token', 'refresh_token', 'assertion', 'authorization', 'cookie', 'password', 'secret', 'claims',
]);

// Something@something.tld: a UPN or an e-mail address, wherever it appears in a text.
const UPN_SHAPED = /[^\s@"'<>(),;:[\]\\]+@[^\s@"'<>(),;:[\]\\]+\.[^\s@"'<>(),;:[\]\\]+/g;

// Keys repeat (a few dozen names): remembered, up to a bound, so the check is one lookup.
const MAX_REMEMBERED_KEYS = 1000;
const keyVerdicts = new Map<string, boolean>();

/** True when an attribute of this name may carry a person's name, an address, a secret or user content. */
export function isWithheldKey(key: string): boolean {
  const known = keyVerdicts.get(key);
  if (known !== undefined) return known;
  const lower = key.toLowerCase();
  const verdict = WITHHELD_KEYS.has(lower) || WITHHELD_SEGMENTS.has(lower.slice(lower.lastIndexOf('.') + 1));
  if (keyVerdicts.size < MAX_REMEMBERED_KEYS) keyVerdicts.set(key, verdict);
  return verdict;
}

// What every token or UPN the filters below look for contains; most values contain none of it.
const MAY_HOLD_TOKEN = /eyJ|bearer|basic/i;

/** Removes tokens (as the logger does) and anything UPN-shaped from a text, and cuts it to a bounded length. */
export function scrubText(text: string): string {
  let clean = MAY_HOLD_TOKEN.test(text) ? redact(text) : text;
  if (clean.includes('@')) clean = clean.replace(UPN_SHAPED, WITHHELD_UPN);
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/** The value an attribute may carry in telemetry; strings are scrubbed, withheld keys lose their value. */
export function sanitizeValue(key: string, value: AttributeValue): AttributeValue {
  if (isWithheldKey(key)) return WITHHELD;
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? scrubText(item) : item)) as AttributeValue;
  return value;
}

/** A copy with every value sanitized and undefined values dropped. */
export function sanitizeAttributes(attributes: Readonly<Record<string, AttributeValue | undefined>>): Attributes {
  const clean: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) clean[key] = sanitizeValue(key, value);
  }
  return clean;
}
