// Child of the cold-start measurement: imports one module in a fresh process and prints the time it took and the RSS after.
import { pathToFileURL } from 'node:url';

const target = process.argv[2];
if (target === undefined) throw new Error('usage: coldImport.js <module path>');
const started = performance.now();
await import(pathToFileURL(target).href);
const importMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ importMs, rssMb: process.memoryUsage().rss / (1024 * 1024) })}\n`);
// The Functions library may hold handles open outside its host; the measurement is done.
process.exit(0);
