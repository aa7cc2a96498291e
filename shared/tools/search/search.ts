// search: one Microsoft Search query across the user's mail, Teams chats, calendar and files, each area read with its own tool's access.
import * as z from 'zod';
import { AuthError } from '../../auth/authError.js';
import { decodeCursor, encodeCursor } from '../../graph/cursor.js';
import type { Graph } from '../../graph/createGraph.js';
import { cutText } from '../../graph/cutText.js';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { cursorInput, lazily, nextCursorOutput } from '../schemas.js';
import { AREA_DEFINITIONS, AREAS, type Area, type AreaHit } from './searchAreas.js';

const TOOL = 'search';
const MAX_SUMMARY_CHARS = 300;
const MAX_TITLE_CHARS = 200;
/** Further than any index pages: an offset past it in a cursor was not written by this server. */
const MAX_OFFSET = 100_000;

const OpenArguments = lazily(() => z.object({
  id: z.string().optional(),
  itemId: z.string().optional(),
  siteId: z.string().optional(),
  chatId: z.string().optional(),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
}));

const Hit = lazily(() => z.object({
  area: z.enum(AREAS),
  rank: z.number().int().describe('In its area: areas rank apart, hits alternate'),
  title: z.string().optional(),
  summary: z.string().optional().describe('Matching passage'),
  from: z.string().optional(),
  date: z.string().optional(),
  tool: z.string(),
  arguments: OpenArguments(),
}));

const AreaOutcome = lazily(() => z.object({
  area: z.string(),
  total: z.number().int().optional().describe('Estimated matches'),
  skipped: z.string().optional().describe('no_access or an error code'),
}));

// Graph's answer, read loosely: what does not parse is dropped or fails its area alone.
const Container = lazily(() => z.object({ hits: z.array(z.unknown()).nullish(), total: z.number().int().nonnegative().nullish(), moreResultsAvailable: z.boolean().nullish() }).loose());
const Answer = lazily(() => z.object({ value: z.array(z.object({ hitsContainers: z.array(Container()).nullish() }).loose()).min(1) }).loose());
const HitEnvelope = lazily(() => z.object({ summary: z.string().nullish(), resource: z.unknown() }).loose());

/** Microsoft Search marks matches with <c0>…</c0> and cuts with <ddd/>; any other tag is dropped too, never passed on. */
export function plainSummary(summary: string | null | undefined): string | undefined {
  if (summary === null || summary === undefined) return undefined;
  const plain = cutText(summary, 4 * MAX_SUMMARY_CHARS)
    .replace(/<ddd\/>/g, '…')
    .replace(/<\/?[A-Za-z][^<>]{0,100}>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? undefined : cutText(plain, MAX_SUMMARY_CHARS);
}

interface Position {
  readonly query: string;
  /** The next offset of each area still to page. */
  readonly offsets: ReadonlyMap<Area, number>;
}

/*
 * Microsoft Search pages with from/size, not nextLinks. The cursor still holds a URL, so encodeCursor and decodeCursor
 * bind it to this tool and endpoint; it names the query, so it cannot be replayed against another search, and only
 * the areas that have more.
 */
function encodePosition(graph: Graph, position: Position): string {
  const params = new URLSearchParams({ q: position.query });
  for (const [area, offset] of position.offsets) params.set(area, String(offset));
  return encodeCursor(TOOL, `${graph.apiBase}/search/query?${params.toString()}`);
}

function decodePosition(graph: Graph, query: string, cursor: string): Position {
  const url = new URL(decodeCursor(TOOL, cursor, `${graph.apiBase}/search/query?`));
  const offsets = new Map<Area, number>();
  for (const [key, value] of url.searchParams) {
    if (key === 'q') continue;
    const offset = Number(value);
    if (!(AREAS as readonly string[]).includes(key) || !Number.isSafeInteger(offset) || offset < 1 || offset > MAX_OFFSET) {
      throw new GraphError('cursor_invalid', `The cursor was not issued by ${TOOL}`);
    }
    offsets.set(key as Area, offset);
  }
  if (url.searchParams.get('q') !== query || offsets.size === 0) throw new GraphError('cursor_invalid', `The cursor was not issued by ${TOOL} for this query`);
  return { query, offsets };
}

interface AreaPage {
  /** Each with its rank in the area, counting hits that did not parse. */
  readonly hits: (AreaHit & { rank: number; summary?: string | undefined })[];
  readonly total?: number | undefined;
  /** Where the next page starts; absent on the last. */
  readonly next?: number | undefined;
}

async function searchArea(graph: Graph, area: Area, query: string, from: number, size: number): Promise<AreaPage> {
  const definition = AREA_DEFINITIONS[area];
  const request = {
    entityTypes: [definition.entityType],
    query: { queryString: query },
    from,
    size: Math.min(size, definition.maxSize),
    ...(definition.fields.length > 0 && { fields: definition.fields }),
  };
  const answer = Answer().safeParse(await graph.post<unknown>('/search/query', { requests: [request] }));
  if (!answer.success) throw new GraphError('upstream_invalid', 'Microsoft Search answered with something that is not a search response');
  const container = answer.data.value[0]?.hitsContainers?.[0];
  // Never more than asked for, whatever Graph sends.
  const raw = (container?.hits ?? []).slice(0, request.size);
  const hits = raw.flatMap((entry, index) => {
    const envelope = HitEnvelope().safeParse(entry);
    const hit = envelope.success ? definition.toHit(envelope.data.resource) : undefined;
    if (hit === undefined || !envelope.success) return [];
    return [{ ...hit, rank: from + index + 1, title: hit.title === undefined ? undefined : cutText(hit.title, MAX_TITLE_CHARS), summary: plainSummary(envelope.data.summary) }];
  });
  const next = container?.moreResultsAvailable === true && raw.length > 0 && from + raw.length <= MAX_OFFSET ? from + raw.length : undefined;
  return { hits, total: container?.total ?? undefined, next };
}

/** OBO failures that reach the client as an HTTP challenge: no area can be searched until the user signs in again. */
const SIGN_IN_AGAIN = new Set<AuthError['code']>(['claims_challenge', 'assertion_refused']);

const failureCode = (error: unknown): string => (error instanceof GraphError || error instanceof AuthError ? error.code : 'internal_error');

export const search = defineTool({
  name: TOOL,
  title: 'Search Microsoft 365',
  description: 'Search mail, Teams chats, events and files at once (Microsoft Search, KQL). Each hit names the tool and arguments that open it.',
  // None of its own: each area is searched with the scopes of the tool that opens its hits.
  scopes: [],
  borrows: AREAS.map((area) => AREA_DEFINITIONS[area].lender),
  input: () => z.object({
    query: z.string().trim().min(1).max(500).refine((query) => !/\p{Cc}/u.test(query), 'must hold no control characters').describe('Words or KQL'),
    areas: z.array(z.enum(AREAS)).min(1).max(AREAS.length).optional().describe('Default: all'),
    size: z.number().int().min(1).max(25).default(10).describe('Hits per area, 1-25'),
    cursor: cursorInput(),
  }),
  output: () => z.object({ hits: z.array(Hit()), areas: z.array(AreaOutcome()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph, graphAs }) => {
    const position = input.cursor === undefined ? undefined : decodePosition(graph, input.query, input.cursor);
    const wanted = position === undefined ? AREAS.filter((area) => input.areas?.includes(area) ?? true) : [...position.offsets.keys()];
    const outcomes = await Promise.all(wanted.map(async (area) => {
      const areaGraph = graphAs?.(AREA_DEFINITIONS[area].lender);
      if (areaGraph === undefined) return { area, skipped: 'no_access' as const };
      try {
        return { area, page: await searchArea(areaGraph, area, input.query, position?.offsets.get(area) ?? 0, input.size) };
      } catch (error) {
        return { area, error };
      }
    }));
    const failed = outcomes.filter((outcome) => 'error' in outcome);
    // A sign-in the client must redo (MFA, Conditional Access) is the caller's, not an area's: it fails the search.
    const signIn = failed.find((outcome) => outcome.error instanceof AuthError && SIGN_IN_AGAIN.has(outcome.error.code));
    if (signIn !== undefined) throw signIn.error;
    // Nothing found anywhere because every search failed: the first failure is the answer, with its own hint.
    if (failed.length > 0 && outcomes.every((outcome) => !('page' in outcome))) throw failed[0]?.error;

    const pages = outcomes.flatMap((outcome) => ('page' in outcome && outcome.page !== undefined ? [{ area: outcome.area, page: outcome.page }] : []));
    const longest = Math.max(0, ...pages.map(({ page }) => page.hits.length));
    const hits: z.input<ReturnType<typeof Hit>>[] = [];
    for (let index = 0; index < longest; index++) {
      for (const { area, page } of pages) {
        const hit = page.hits[index];
        if (hit === undefined) continue;
        const { open, ...shown } = hit;
        hits.push({ area, ...withoutUndefined(shown), tool: open.tool, arguments: open.arguments });
      }
    }
    const offsets = new Map(pages.flatMap(({ area, page }) => (page.next === undefined ? [] : [[area, page.next] as const])));
    const nextCursor = offsets.size === 0 ? undefined : encodePosition(graph, { query: input.query, offsets });
    const areas = outcomes.map((outcome) => {
      if ('page' in outcome && outcome.page !== undefined) return { area: outcome.area, ...(outcome.page.total !== undefined && { total: outcome.page.total }) };
      return { area: outcome.area, skipped: 'skipped' in outcome ? outcome.skipped : failureCode(outcome.error) };
    });
    return { structured: { hits, areas, nextCursor }, text: searchText(input.query, hits, areas, nextCursor) };
  },
});

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function searchText(query: string, hits: readonly z.input<ReturnType<typeof Hit>>[], areas: readonly z.input<ReturnType<typeof AreaOutcome>>[], nextCursor: string | undefined): string {
  const skipped = areas.filter((area) => area.skipped !== undefined).map((area) => `${area.area} (${area.skipped ?? ''})`);
  const lines = hits.map((hit) => {
    const args = Object.entries(hit.arguments).map(([name, value]) => `${name}=${value ?? ''}`).join(' ');
    return `[${hit.area} ${hit.rank}] ${hit.title ?? '(untitled)'}${hit.from === undefined ? '' : ` · ${hit.from}`}${hit.date === undefined ? '' : ` · ${hit.date}`}${hit.summary === undefined ? '' : `\n  ${hit.summary}`}\n  open: ${hit.tool} ${args}`;
  });
  if (lines.length === 0) lines.push(`Nothing found for "${query}".`);
  if (skipped.length > 0) lines.push(`Not searched: ${skipped.join(', ')}.`);
  if (nextCursor !== undefined) lines.push('More: call again with nextCursor.');
  return lines.join('\n');
}
