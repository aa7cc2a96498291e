// The HTTP routes, shared by the Functions triggers and the local host so both serve the same paths.

export interface Route {
  readonly name: string;
  /** Path without the leading slash (the Functions route template). */
  readonly path: string;
  readonly methods: readonly ('GET' | 'POST' | 'DELETE')[];
  readonly handler: 'mcp' | 'protectedResourceMetadata' | 'health';
}

export const ROUTES: readonly Route[] = [
  { name: 'mcp', path: 'mcp', methods: ['POST', 'GET', 'DELETE'], handler: 'mcp' },
  { name: 'protectedResourceMetadata', path: '.well-known/oauth-protected-resource', methods: ['GET'], handler: 'protectedResourceMetadata' },
  { name: 'protectedResourceMetadataMcp', path: '.well-known/oauth-protected-resource/mcp', methods: ['GET'], handler: 'protectedResourceMetadata' },
  { name: 'health', path: 'healthz', methods: ['GET'], handler: 'health' },
];
