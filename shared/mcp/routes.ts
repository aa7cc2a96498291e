// The HTTP routes, shared by the Functions triggers and the local host so both serve the same paths.

export interface Route {
  readonly name: string;
  /** Path without the leading slash (the Functions route template). */
  readonly path: string;
  readonly methods: readonly ('GET' | 'POST' | 'DELETE' | 'OPTIONS')[];
  readonly handler: 'mcp' | 'protectedResourceMetadata' | 'health';
}

export const ROUTES: readonly Route[] = [
  // OPTIONS: browser clients' CORS preflight.
  { name: 'mcp', path: 'mcp', methods: ['POST', 'GET', 'DELETE', 'OPTIONS'], handler: 'mcp' },
  { name: 'protectedResourceMetadata', path: '.well-known/oauth-protected-resource', methods: ['GET', 'OPTIONS'], handler: 'protectedResourceMetadata' },
  { name: 'protectedResourceMetadataMcp', path: '.well-known/oauth-protected-resource/mcp', methods: ['GET', 'OPTIONS'], handler: 'protectedResourceMetadata' },
  { name: 'health', path: 'healthz', methods: ['GET'], handler: 'health' },
];
