// What the local host process serves once its configuration is known good: the app from the environment, on PORT, loopback only.
import { config } from '../shared/config/config.js';
import { createConsoleLogger } from '../shared/log/logger.js';
import { app, telemetryStarted } from '../shared/mcp/defaultApp.js';
import { startLocalHost } from './localHost.js';

const log = createConsoleLogger();
// Ready only once telemetry is (when configured), so the first request is traced too.
await telemetryStarted;
// Both loopback families, since `localhost` resolves to ::1 first on many machines; never a public interface.
await startLocalHost(app, { port: config.port, host: '127.0.0.1', log });
await startLocalHost(app, { port: config.port, host: '::1', log }).catch(() => undefined);
process.send?.({ ready: true, port: config.port });
