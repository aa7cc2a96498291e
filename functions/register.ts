// Registers one of our routes as an anonymous HTTP trigger: the app authenticates callers itself.
import functions from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { app, telemetryStarted } from '../shared/mcp/defaultApp.js';
import { ROUTES } from '../shared/mcp/routes.js';
import { serve } from './adapt.js';

export type FunctionsHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

// HTTP streams (Functions host 4.28+): the host hands a request body over as it arrives rather than
// buffering it whole first, so no more of it than the 1 MiB cap is ever read, and a refused caller's none.
functions.app.setup({ enableHttpStream: true });

export function register(name: string): FunctionsHandler {
  const route = ROUTES.find((candidate) => candidate.name === name);
  if (route === undefined) throw new Error(`No route named ${name}`);
  const handler = serve(app[route.handler], telemetryStarted);
  functions.app.http(route.name, { route: route.path, methods: [...route.methods], authLevel: 'anonymous', handler });
  return handler;
}
