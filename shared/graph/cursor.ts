// Opaque paging cursors: a Graph nextLink, bound to the tool that issued it and to the Graph host.
import { GraphError } from './graphError.js';

interface CursorBody {
  readonly t: string;
  readonly u: string;
}

export function encodeCursor(tool: string, nextLink: string): string {
  return Buffer.from(JSON.stringify({ t: tool, u: nextLink } satisfies CursorBody), 'utf8').toString('base64url');
}

/**
 * The nextLink inside a cursor. Throws `GraphError` `cursor_invalid` when the cursor was not issued by
 * `tool`, or points anywhere but `allowedPrefix` (so a forged cursor cannot reach another Graph API).
 */
export function decodeCursor(tool: string, cursor: string, allowedPrefix: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new GraphError('cursor_invalid', 'The cursor is not one this server issued', { cause });
  }
  // Any JSON decodes: null, numbers and strings carry no properties to read.
  if (typeof parsed !== 'object' || parsed === null) throw new GraphError('cursor_invalid', 'The cursor is not one this server issued');
  const body = parsed as Partial<CursorBody>;
  if (body.t !== tool || typeof body.u !== 'string' || !within(body.u, allowedPrefix)) {
    throw new GraphError('cursor_invalid', `The cursor was not issued by ${tool} for this request`);
  }
  return body.u;
}

/** Compares parsed URLs, so `..` or percent-encoded dots cannot walk out of the allowed path. */
function within(link: string, prefix: string): boolean {
  try {
    const url = new URL(link);
    const allowed = new URL(prefix);
    const base = allowed.pathname.replace(/\/+$/, '');
    return url.origin === allowed.origin && (url.pathname === base || url.pathname.startsWith(`${base}/`));
  } catch {
    return false;
  }
}
