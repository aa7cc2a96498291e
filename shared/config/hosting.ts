// Whether the process runs hosted in Azure, told the same way everywhere the configuration asks.
import type { Env } from './parseConfig.js';
import { isLoopbackHost } from './tablesEndpoint.js';

/** The variables that can say so; tests that set up an environment of their own clear them all. */
export const HOSTING_VARIABLES = ['WEBSITE_INSTANCE_ID', 'WEBSITE_SITE_NAME', 'WEBSITE_HOSTNAME', 'CONTAINER_NAME', 'FUNCTIONS_WORKER_RUNTIME'] as const;

const set = (env: Env, name: string) => (env[name] ?? '').trim() !== '';

/**
 * The variable that says we run hosted in Azure, or undefined when none does. App Service and every Functions
 * plan set `WEBSITE_SITE_NAME` and `WEBSITE_HOSTNAME` (Core Tools sets the latter to `localhost:<port>` when run
 * locally, so a loopback host does not count); Windows and dedicated plans set `WEBSITE_INSTANCE_ID`; Linux
 * Consumption sets `CONTAINER_NAME`, which other container platforms set too, so it counts only where the
 * Functions host is also running us (`FUNCTIONS_WORKER_RUNTIME`).
 */
export function hostedBy(env: Env): string | undefined {
  if (set(env, 'WEBSITE_INSTANCE_ID')) return 'WEBSITE_INSTANCE_ID';
  if (set(env, 'WEBSITE_SITE_NAME')) return 'WEBSITE_SITE_NAME';
  const hostname = (env['WEBSITE_HOSTNAME'] ?? '').trim();
  if (hostname !== '' && !isLoopbackHost(hostname.replace(/:\d+$/, ''))) return 'WEBSITE_HOSTNAME';
  if (set(env, 'CONTAINER_NAME') && set(env, 'FUNCTIONS_WORKER_RUNTIME')) return 'CONTAINER_NAME';
  return undefined;
}
