// Input and output pieces several tools share, so they read the same everywhere.
import { z } from 'zod';

export const cursorInput = z.string().min(1).max(4096).optional().describe('Opaque cursor from a previous page\'s nextCursor');
export const nextCursorOutput = z.string().optional().describe('Pass as cursor to get the next page; absent on the last page');
export const pageSizeInput = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`Items per page (1-${max})`);
/** Graph ids are opaque; this only keeps obviously broken input out of URL paths. */
export const graphId = z.string().min(1).max(512).regex(/^[^/?#\\]+$/, 'must be an id, not a path or URL');
