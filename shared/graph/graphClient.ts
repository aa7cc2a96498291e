// The Microsoft Graph client, loaded on first use: 105 KB that a cold start need not compile before a tool call
// reaches Graph.
import type * as GraphClient from '@microsoft/microsoft-graph-client';

export type GraphClientModule = typeof GraphClient;

let loading: Promise<GraphClientModule> | undefined;

/**
 * The package is CommonJS: Node's own loader gives its exports by name, a bundle's chunk only as its default export.
 * Either way, the module with its exports by name.
 */
function byName(loaded: GraphClientModule | { readonly default: GraphClientModule }): GraphClientModule {
  return 'Client' in loaded ? loaded : loaded.default;
}

/** The one copy of the Graph client, loaded by the first caller; every later one gets the same module. */
export function loadGraphClient(): Promise<GraphClientModule> {
  return loading ??= import('@microsoft/microsoft-graph-client').then(byName);
}
