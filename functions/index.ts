// The Functions entry point (package.json "main"): loading it registers every trigger.
import './mcp.js';
import './protectedResourceMetadata.js';
import './health.js';
import './purge.js';
