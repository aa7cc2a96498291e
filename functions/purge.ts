// Every 15 minutes: delete the counters of past rate-limit windows and the multi-round states never used.
import functions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { app } from '../shared/mcp/defaultApp.js';

export async function purge(_timer: Timer, context: InvocationContext): Promise<void> {
  const result = await app.purge();
  context.log(`purged ${result.rateLimitRows} rate-limit rows and ${result.requestStateRows} request states`);
}

functions.app.timer('purge', { schedule: '0 */15 * * * *', handler: purge });
