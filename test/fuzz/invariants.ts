// What must hold after every generated case, whatever was sent: checked on the answer and on what Graph and other hosts saw.
import { expect } from 'vitest';
import type { ForeignHost } from '../../sandbox/graph/hostileGraph.js';
import type { LocalGraph } from '../../sandbox/graph/localGraph.js';
import type { SampleUser } from '../../sandbox/sampleUsers.js';
import { markerOf } from './markedData.js';

/** A JSON-RPC internal error, or a tool result or refusal typed `internal_error`. */
const INTERNAL = /"code":\s*-32603\b|"code":\s*"internal_error"/;

/** Never a 5xx, never an internal error in the body, whatever the request. */
export function expectNoServerFault(status: number, text: string, what: () => string): void {
  expect(status, `${status} answering ${what()}: ${text.slice(0, 500)}`).toBeLessThan(500);
  expect(INTERNAL.exec(text)?.[0], `internal error answering ${what()}: ${text.slice(0, 2000)}`).toBeUndefined();
}

/** The answer to `user`'s request holds no other user's data. */
export function expectOnlyOwnData(text: string, user: SampleUser, others: readonly SampleUser[], what: () => string): void {
  for (const other of others) {
    if (other.key === user.key) continue;
    expect(text.includes(markerOf(other)), `${user.key} was answered ${other.key}'s data for ${what()}`).toBe(false);
  }
}

/**
 * Graph saw the token only on its own origin (Host as GRAPH_BASE_URL's), and only the caller's; another https
 * host saw no token; a plain http host saw nothing at all.
 */
export function expectTokensStayHome(graph: LocalGraph, callers: readonly SampleUser[], foreign: readonly ForeignHost[], plain: readonly ForeignHost[]): void {
  const home = new URL(graph.url).host;
  const oids = new Set(callers.map((user) => user.oid));
  for (const request of graph.requests) {
    if (request.authorization === undefined) continue;
    expect(request.host, `a Graph token sent to ${request.host}${request.url}`).toBe(home);
    if (request.oid !== undefined) expect(oids.has(request.oid), `a token of ${request.oid} used for ${[...oids].join(', ')}`).toBe(true);
  }
  for (const host of foreign) for (const request of host.requests) expect(request.authorization, `a token sent to ${host.url}${request.path}`).toBeUndefined();
  for (const host of plain) expect(host.requests.map((request) => request.path), `requests over plain http to ${host.url}`).toEqual([]);
}
