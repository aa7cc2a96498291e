// Drives one endpoint with autocannon: throughput, exact latency percentiles, and every failure counted.
import autocannon from 'autocannon';
import type { Headers } from './mcpRequests.js';

export interface LoadTarget {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Headers;
  readonly body?: string;
  /** Headers of each connection (cycled), e.g. one caller's token per connection; replace `headers`. */
  readonly perConnectionHeaders?: readonly Headers[];
}

export interface LoadStats {
  /** Answered requests. */
  readonly requests: number;
  /** Requests written, answered or not: what the server worked on (those in flight at the stop are cut off, not cancelled). */
  readonly sent: number;
  readonly seconds: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Every answered request's latency in ms, ascending. */
  readonly latencies: Float64Array;
}

export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** `connections` keep-alive connections, one request in flight each, for `seconds`. */
export async function runLoad(target: LoadTarget, connections: number, seconds: number): Promise<LoadStats> {
  // autocannon's own histogram keeps whole milliseconds; its response event carries the exact duration.
  const latencies: number[] = [];
  let connection = 0;
  const perConnection = target.perConnectionHeaders;
  const started = performance.now();
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: target.url,
    method: target.method,
    headers: { ...target.headers },
    ...(target.body !== undefined && { body: target.body }),
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    ...(perConnection !== undefined && perConnection.length > 0 && {
      setupClient: (client: autocannon.Client) => {
        client.setHeaders({ ...perConnection[connection++ % perConnection.length] });
      },
    }),
  }, (error: unknown, result: autocannon.Result) => (error === null || error === undefined ? finish(result) : fail(error)));
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await done;
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    // Counted by autocannon, missing from its typings.
    sent: (result.requests as { sent?: number }).sent ?? latencies.length,
    seconds: elapsed,
    reqPerSec: latencies.length / elapsed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies: sorted,
  };
}
