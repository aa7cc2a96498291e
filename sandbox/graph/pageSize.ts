// Query pieces the Teams, To Do and OneNote stand-ins share: Graph's per-API $top limits, and ids from paths.
import { graphError, type GraphReply } from './localGraph.js';

/** `$top` as the API allows it: a number from 1 to `max`, or a 400 as Graph answers one out of range. */
export function checkTop(url: URL, max: number): GraphReply | undefined {
  const raw = url.searchParams.get('$top');
  if (raw === null) return undefined;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > max) {
    return graphError(400, 'BadRequest', `Invalid page size requested. The value of $top must be between 1 and ${max}.`);
  }
  return undefined;
}

/** A path parameter decoded, or undefined when its percent-encoding is malformed. */
export function decodeParam(raw: string | undefined): string | undefined {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
