// The process's app, built once from the environment's configuration: what the Functions triggers serve.
import { config } from '../config/config.js';
import { createConsoleLogger } from '../log/logger.js';
import { startTelemetry, type TelemetryHandle } from '../telemetry/start/startTelemetry.js';
import { createApp, type App } from './createApp.js';
import { SERVER_VERSION } from './serverInfo.js';

export const app: App = createApp(config);

/**
 * Telemetry as configured, starting in the background: importing this module never waits for the SDK, and
 * with telemetry off the promise is settled at once and nothing is loaded. Hosts await it before the first
 * request, so that request is traced too. A failure to start is logged once; the server runs on without it.
 */
export const telemetryStarted: Promise<TelemetryHandle> = startTelemetry(config.telemetry, SERVER_VERSION).then((handle) => {
  if (handle.failure !== undefined) createConsoleLogger().warn('telemetry could not start; running without it', { error: handle.failure.message });
  return handle;
});
