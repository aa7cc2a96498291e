// One page of a Graph collection for a list tool: the first page from a path, later pages from an opaque cursor.
import { decodeCursor, encodeCursor } from '../graph/cursor.js';
import type { Graph, GraphRequestOptions } from '../graph/createGraph.js';
import { GraphError } from '../graph/graphError.js';

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

const isItem = (item: unknown): boolean => typeof item === 'object' && item !== null && !Array.isArray(item);

/**
 * The page a Graph collection answer holds, its nextLink as `tool`'s cursor. Throws `GraphError`
 * `upstream_invalid` when the answer is no collection (no `value` array of objects, a nextLink that is no
 * string): the tools read properties of each item.
 */
export function pageOf<T>(tool: string, collection: unknown): ListPage<T> {
  const { value, '@odata.nextLink': next } = (isItem(collection) ? collection : {}) as { value?: unknown; '@odata.nextLink'?: unknown };
  if (!Array.isArray(value) || !value.every(isItem) || (next !== undefined && typeof next !== 'string')) {
    throw new GraphError('upstream_invalid', 'Microsoft Graph answered with something that is not a page of items');
  }
  return { items: value as T[], ...(next !== undefined && { nextCursor: encodeCursor(tool, next) }) };
}

/** Throws `GraphError` (`cursor_invalid` for a cursor of another tool or path, `upstream_invalid` for an answer that is no page). */
export async function listPage<T>(graph: Graph, request: ListPageRequest): Promise<ListPage<T>> {
  const collection = request.cursor === undefined
    ? await graph.get<unknown>(request.path, request.options)
    : await graph.getNext<unknown>(decodeCursor(request.tool, request.cursor, `${graph.apiBase}${request.path}`), {
      ...(request.options?.headers !== undefined && { headers: request.options.headers }),
    });
  return pageOf<T>(request.tool, collection);
}
