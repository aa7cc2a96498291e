// What the server under test talks to, in this process: identity provider, Graph, and Azurite behind a counting proxy.
import { DEV_CLIENT_ID } from '../shared/config/devDefaults.js';
import { azuriteConnectionString, startAzuriteTables } from '../sandbox/azurite.js';
import { GRAPH_ROUTES, seedUserData } from '../sandbox/graph/graphRoutes.js';
import { startLocalGraph, type LocalGraph } from '../sandbox/graph/localGraph.js';
import { startIdentityProvider, type IdentityProvider } from '../sandbox/identityProvider.js';
import type { TlsMaterial } from '../sandbox/tls.js';
import { startCountingProxy } from './countingProxy.js';
import { startOtlpSink, type OtlpSink } from './otlpSink.js';

export interface StandIns {
  readonly idp: IdentityProvider;
  readonly graph: LocalGraph;
  /** Azurite's Table service, reached through the counting proxy. */
  readonly tablesConnectionString: string;
  /** Table operations so far. */
  tableOps(): number;
  /** The collector the telemetry-on server exports to. */
  readonly otlp: OtlpSink;
  close(): Promise<void>;
}

/** Downstream calls so far: what each row divides by its requests. */
export interface DownstreamCounts {
  readonly jwks: number;
  readonly obo: number;
  readonly graph: number;
  readonly table: number;
}

export function downstreamCounts(standIns: StandIns): DownstreamCounts {
  return { jwks: standIns.idp.counts.jwks, obo: standIns.idp.counts.obo, graph: standIns.graph.requests.length, table: standIns.tableOps() };
}

export async function startStandIns(tls: TlsMaterial): Promise<StandIns> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const idp = await startIdentityProvider({ tls, clientId: DEV_CLIENT_ID });
    closers.push(() => idp.close());
    const graph = await startLocalGraph({ tls, idp, routes: GRAPH_ROUTES, seed: seedUserData });
    closers.push(() => graph.close());
    const azurite = await startAzuriteTables(0);
    closers.push(() => azurite.close());
    const proxy = await startCountingProxy(azurite.port);
    closers.push(() => proxy.close());
    const otlp = await startOtlpSink();
    closers.push(() => otlp.close());
    return { idp, graph, tablesConnectionString: azuriteConnectionString(proxy.port), tableOps: () => proxy.count, otlp, close };
  } catch (error) {
    await close();
    throw error;
  }
}
