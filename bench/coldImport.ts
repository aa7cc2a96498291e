// Child of the cold-start measurement: imports one module in a fresh process and prints the time it took and the RSS after.
import { pathToFileURL } from 'node:url';

const target = process.argv[2];
if (target === undefined) throw new Error('usage: coldImport.js <module path>');
const started = performance.now();
const cpuBefore = process.cpuUsage();
await import(pathToFileURL(target).href);
const importMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`${JSON.stringify({ importMs, importCpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / (1024 * 1024) })}\n`);
// The Functions library may hold handles open outside its host; the measurement is done.
process.exit(0);
