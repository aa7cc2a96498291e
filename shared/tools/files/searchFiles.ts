// search_files: Microsoft Search over the files the signed-in user can reach in OneDrive and SharePoint.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { decodeCursor, encodeCursor } from '../../graph/cursor.js';
import type { Graph } from '../../graph/createGraph.js';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { cursorInput, lazily, nextCursorOutput, nullAsAbsent, pageSizeInput } from '../schemas.js';

const TOOL = 'search_files';
const FIELDS = ['id', 'name', 'webUrl', 'lastModifiedDateTime', 'size', 'parentReference'];

const Hit = lazily(() => z.object({
  id: z.string(),
  name: nullAsAbsent(z.string()),
  webUrl: nullAsAbsent(z.string()),
  lastModifiedDateTime: nullAsAbsent(z.string()),
  size: nullAsAbsent(z.number()).describe('Bytes'),
  siteId: nullAsAbsent(z.string()).describe('Pass to read_file or list_drive_items for SharePoint files'),
  summary: nullAsAbsent(z.string()).describe('Matching passage'),
}));

/*
 * Microsoft Search pages with from/size, not nextLinks. The cursor still holds a URL, so encodeCursor and
 * decodeCursor bind it to this tool and this endpoint; it also names the query, so a cursor cannot be replayed
 * against another search.
 */
function searchCursor(graph: Graph, query: string, from: number): string {
  return encodeCursor(TOOL, `${graph.apiBase}/search/query?from=${from}&q=${encodeURIComponent(query)}`);
}

function offsetOf(graph: Graph, query: string, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const url = new URL(decodeCursor(TOOL, cursor, `${graph.apiBase}/search/query?`));
  const from = Number(url.searchParams.get('from'));
  if (url.searchParams.get('q') !== query || !Number.isSafeInteger(from) || from < 0) {
    throw new GraphError('cursor_invalid', `The cursor was not issued by ${TOOL} for this query`);
  }
  return from;
}

/** Microsoft Search marks matches with <c0>…</c0> and cuts with <ddd/>. */
function plainSummary(summary: string | null | undefined): string | undefined {
  if (summary === null || summary === undefined || summary === '') return undefined;
  return summary.replace(/<ddd\/>/g, '…').replace(/<\/?c0>/g, '').trim();
}

export const searchFiles = defineTool({
  name: TOOL,
  title: 'Search files',
  description: 'Search the OneDrive and SharePoint files you can access by words in their name or content (Microsoft Search; KQL works).',
  // Microsoft Search over driveItem accepts nothing narrower than Files.Read.All (or Sites.Read.All).
  scopes: ['Files.Read.All'],
  input: () => z.object({
    query: z.string().trim().min(1).max(500).describe('Search words'),
    top: pageSizeInput(50, 25),
    cursor: cursorInput(),
  }),
  output: () => z.object({ hits: z.array(Hit()), total: nullAsAbsent(z.number()).describe('Estimated matches'), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const from = offsetOf(graph, input.query, input.cursor);
    const request: MicrosoftGraph.SearchRequest = { entityTypes: ['driveItem'], query: { queryString: input.query }, from, size: input.top, fields: FIELDS };
    const response = await graph.post<{ value?: MicrosoftGraph.SearchResponse[] }>('/search/query', { requests: [request] });
    const container = response.value?.[0]?.hitsContainers?.[0];
    const hits = (container?.hits ?? []).map((hit) => {
      const item = (hit.resource ?? {}) as MicrosoftGraph.DriveItem;
      return {
        id: item.id ?? hit.hitId ?? '',
        name: item.name,
        webUrl: item.webUrl,
        lastModifiedDateTime: item.lastModifiedDateTime,
        size: item.size,
        siteId: item.parentReference?.siteId,
        summary: plainSummary(hit.summary),
      };
    });
    const nextCursor = container?.moreResultsAvailable === true && hits.length > 0 ? searchCursor(graph, input.query, from + hits.length) : undefined;
    const text = hits.length === 0
      ? `No files found for "${input.query}".`
      : hits.map((hit) => `${hit.name ?? '(no name)'} ${hit.webUrl ?? ''} id ${hit.id}${hit.siteId ? ` site ${hit.siteId}` : ''}`).join('\n');
    return { structured: { hits, total: container?.total, nextCursor }, text };
  },
});
