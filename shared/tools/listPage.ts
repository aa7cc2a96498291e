// One page of a Graph collection for a list tool: the first page from a path, later pages from an opaque cursor.
import { decodeCursor, encodeCursor } from '../graph/cursor.js';
import type { Graph, GraphRequestOptions } from '../graph/createGraph.js';

export interface ListPageRequest {
  /** The tool's name: cursors are only accepted by the tool that issued them. */
  readonly tool: string;
  /** e.g. `/me/calendarView` (its nextLinks must stay under it). */
  readonly path: string;
  readonly options?: GraphRequestOptions;
  readonly cursor?: string | undefined;
}

export interface ListPage<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

interface Collection<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
}

/** Throws `GraphError` (`cursor_invalid` for a cursor of another tool or path). */
export async function listPage<T>(graph: Graph, request: ListPageRequest): Promise<ListPage<T>> {
  const collection = request.cursor === undefined
    ? await graph.get<Collection<T>>(request.path, request.options)
    : await graph.getNext<Collection<T>>(decodeCursor(request.tool, request.cursor, `${graph.apiBase}${request.path}`), {
      ...(request.options?.headers !== undefined && { headers: request.options.headers }),
    });
  const next = collection['@odata.nextLink'];
  return { items: collection.value, ...(next !== undefined && { nextCursor: encodeCursor(request.tool, next) }) };
}
