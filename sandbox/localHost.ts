// The local host: a plain Node HTTP server serving the same routes and handlers as the Functions triggers.
import type { App } from '../shared/mcp/createApp.js';
import { ROUTES } from '../shared/mcp/routes.js';
import type { Logger } from '../shared/log/logger.js';
import { silentLogger } from '../shared/log/logger.js';
import type { RunningServer } from './httpsServer.js';
import { serveFetch } from './nodeFetch.js';

export interface LocalHostOptions {
  readonly port?: number;
  readonly host?: string;
  readonly log?: Logger;
}

const NOT_FOUND = JSON.stringify({ error: 'not_found' });

export async function startLocalHost(app: App, options: LocalHostOptions = {}): Promise<RunningServer> {
  const log = options.log ?? silentLogger;
  const routes = new Map(ROUTES.map((route) => [`/${route.path}`, route]));
  return serveFetch(async (request) => {
    const route = routes.get(new URL(request.url).pathname);
    if (route === undefined) return new Response(NOT_FOUND, { status: 404, headers: { 'content-type': 'application/json' } });
    return app[route.handler](request, log);
  }, { ...options, allow: (pathname) => routes.get(pathname)?.methods.join(', ') });
}
