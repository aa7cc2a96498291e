// The local host process of `npm start`: refuses a bad configuration in one line, then serves the app.
import { ConfigError } from '../shared/config/configError.js';
import { parseConfig } from '../shared/config/parseConfig.js';

try {
  // The app parses the same settings when it is imported, where a refusal would be an uncaught error printed
  // after the line of bundled source it came from (over 100 KB). Parsed here first, it is one line.
  parseConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`onbehalf: ${error.message}`);
  process.exit(1);
}
await import('./serveLocalHost.js');
