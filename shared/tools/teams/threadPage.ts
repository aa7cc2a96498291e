// listPage for collections under Teams ids (`19:…@thread.v2`), which Graph writes unencoded in its nextLinks.
import { decodeCursor } from '../../graph/cursor.js';
import type { Graph } from '../../graph/createGraph.js';
import { GraphError } from '../../graph/graphError.js';
import { listPage, pageOf, type ListPage, type ListPageRequest } from '../listPage.js';

/** Each segment decoded and encoded again, so `19:a@thread.v2` and `19%3Aa%40thread.v2` compare equal. */
function canonicalPath(pathname: string): string | undefined {
  try {
    return pathname.split('/').map((segment) => encodeURIComponent(decodeURIComponent(segment))).join('/');
  } catch {
    return undefined;
  }
}

/**
 * One page of a collection whose path holds a Teams id. A cursor must lead to exactly `path` (compared
 * segment by segment after decoding; the URL parser has already resolved dot segments): Graph writes the
 * id raw in nextLinks, so the plain prefix check of listPage would refuse every second page.
 * Throws `GraphError` (`cursor_invalid` for a cursor of another tool or another chat or channel,
 * `upstream_invalid` for an answer that is no page).
 */
export async function threadPage<T>(graph: Graph, request: ListPageRequest): Promise<ListPage<T>> {
  if (request.cursor === undefined) return listPage<T>(graph, request);
  const link = decodeCursor(request.tool, request.cursor, `${graph.apiBase}/`);
  const expected = canonicalPath(new URL(`${graph.apiBase}${request.path}`).pathname);
  if (expected === undefined || canonicalPath(new URL(link).pathname) !== expected) {
    throw new GraphError('cursor_invalid', `The cursor was not issued by ${request.tool} for this conversation`);
  }
  const collection = await graph.getNext<unknown>(link, {
    ...(request.options?.headers !== undefined && { headers: request.options.headers }),
  });
  return pageOf<T>(request.tool, collection);
}
