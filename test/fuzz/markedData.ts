// Marks every text of a user's data in the local Graph with a string only that user's data holds, so a result
// carrying another user's marker is a leak, wherever in the result it turns up.
import { seedUserData } from '../../sandbox/graph/graphRoutes.js';
import type { UserData } from '../../sandbox/graph/userData.js';
import type { SampleUser } from '../../sandbox/sampleUsers.js';

/** No generator produces it, and no sample data holds it. */
export function markerOf(user: SampleUser): string {
  return `qzx-${user.key}-only-7c1f`;
}

const MARKED_KEYS = new Set(['subject', 'displayName', 'name', 'title', 'bodyPreview', 'content', 'html', 'jobTitle', 'description', 'summary']);

function mark(value: unknown, marker: string, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value) || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) mark(item, marker, seen);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string' && MARKED_KEYS.has(key)) record[key] = `${item} ${marker}`;
    else mark(item, marker, seen);
  }
}

/** The usual sample data, every text in it marked as the user's own. */
export function seedMarkedUserData(data: UserData): void {
  seedUserData(data);
  const { user: _owner, ...stores } = data;
  mark(stores, markerOf(data.user), new Set());
}
