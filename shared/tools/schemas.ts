// Input and output pieces several tools share, so they read the same everywhere.
import * as z from 'zod';

/**
 * A schema built the first time it is asked for, and the same one every time after: zod builds schemas eagerly,
 * and the helper schemas of tool files, built at module level, would all be built by a cold instance's import.
 */
export function lazily<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => built ??= build();
}

export const cursorInput = lazily(() => z.string().min(1).max(4096).optional().describe('nextCursor of the previous page'));
export const nextCursorOutput = lazily(() => z.string().optional().describe('Pass as cursor for the next page'));
export const pageSizeInput = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`Items per page, 1-${max}`);

/**
 * An output field Graph may answer as null when it has no value. Foundry's schema subset has no null type, so
 * the result leaves the field out instead: the listed schema has one type, and parsing the result drops the null.
 */
export function nullAsAbsent<T extends z.ZodType>(schema: T) {
  return z.codec(schema.nullish(), schema.optional(), {
    decode: (value) => (value ?? undefined) as z.input<T> | undefined,
    encode: (value) => value as z.output<T> | undefined,
  });
}
/**
 * Graph ids are opaque; this only keeps what would change the URL's path out of it: separators, and the
 * `.` and `..` segments a URL parser would resolve (encodeURIComponent leaves dots alone).
 */
export const graphId = lazily(() => z.string().min(1).max(512).regex(/^[^/?#\\]+$/, 'must be an id, not a path or URL')
  .refine((id) => id !== '.' && id !== '..', 'must be an id, not . or ..'));

// With the u flag a surrogate pair is one code point, so this matches only a half without its other half.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Adds an issue for every string in a tool's parsed input holding a lone surrogate: not text in any
 * encoding, it breaks encodeURIComponent, headers and Graph alike. Applied to every tool's input by
 * defineTool, so no string input can miss it.
 */
export function refuseLoneSurrogates(value: unknown, context: z.RefinementCtx): void {
  const visit = (item: unknown, path: (string | number)[]): void => {
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) context.addIssue({ code: 'custom', path, message: 'must be well-formed Unicode text (it holds a lone surrogate)' });
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => visit(element, [...path, index]));
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, element] of Object.entries(item)) visit(element, [...path, key]);
    }
  };
  visit(value, []);
}
