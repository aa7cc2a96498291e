// The bits of OData the local Graph implements: $select, $top/$skiptoken paging with @odata.nextLink, and the
// comparison operators of $filter.

export type Entity = object & { readonly id: string };

/** Keeps only the `$select`ed properties (and `id`, as Graph does). */
export function select<T extends Entity>(item: T, query: URLSearchParams): Partial<T> & { id: string } {
  const wanted = query.get('$select');
  if (wanted === null || wanted === '') return Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'content' && key !== 'parentId')) as Partial<T> & { id: string };
  const fields = new Set(['id', ...wanted.split(',').map((field) => field.trim())]);
  return Object.fromEntries(Object.entries(item).filter(([key]) => fields.has(key) && key !== 'content' && key !== 'parentId')) as Partial<T> & { id: string };
}

export interface Page<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
}

/**
 * One page of `items` as Graph serves a collection: `$top` (default `defaultTop`, at most 999),
 * `$skiptoken` (an offset here; opaque to clients), `$select` applied, and a nextLink that keeps
 * every other query parameter.
 */
export function page<T extends Entity>(items: readonly T[], url: URL, defaultTop = 10): Page<Partial<T>> {
  const top = Math.min(Math.max(Number(url.searchParams.get('$top') ?? defaultTop) || defaultTop, 1), 999);
  const offset = Number(Buffer.from(url.searchParams.get('$skiptoken') ?? '', 'base64url').toString('utf8') || '0') || 0;
  const slice = items.slice(offset, offset + top).map((item) => select(item, url.searchParams));
  if (offset + top >= items.length) return { value: slice };
  const next = new URL(url);
  next.searchParams.set('$skiptoken', Buffer.from(String(offset + top), 'utf8').toString('base64url'));
  next.searchParams.set('$top', String(top));
  return { value: slice, '@odata.nextLink': next.href };
}

export type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** Whether `order` (negative, zero or positive: the item's value against the literal) satisfies `op`. */
export function satisfies(order: number, op: Comparison): boolean {
  switch (op) {
    case 'eq': return order === 0;
    case 'ne': return order !== 0;
    case 'gt': return order > 0;
    case 'ge': return order >= 0;
    case 'lt': return order < 0;
    case 'le': return order <= 0;
  }
}
