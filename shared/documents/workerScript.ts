// Starts a document worker from where its code is: the bundled script beside the bundle that starts it, or
// (running from the TypeScript sources, as the tests do) the .ts entry, which Node runs with its type stripping.
import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

// The sources import each other as `.js` (what a build emits); beside them are only the `.ts` files. Node 22.15+.
const SOURCE_BOOTSTRAP = `
const { registerHooks } = require('node:module');
const { workerData } = require('node:worker_threads');
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\\.{1,2}\\/.*\\.js$/.test(specifier)) throw error;
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
  },
});
import(workerData.entry);
`;

let bundled: URL | undefined;

/**
 * The bundled worker entry (esbuild.config.mjs): `documentWorker.js` beside the entry file this code is bundled
 * into (dist/functions/index.js), or one folder up when it is bundled into one of that entry's chunks
 * (dist/dev/chunks/, where the local host imports the app on demand).
 */
function bundledWorker(): URL {
  if (bundled === undefined) {
    const beside = new URL('./documentWorker.js', import.meta.url);
    bundled = existsSync(beside) ? beside : new URL('../documentWorker.js', import.meta.url);
  }
  return bundled;
}

/** A new document worker. */
export function startDocumentWorker(options: Omit<WorkerOptions, 'eval' | 'workerData'>): Worker {
  if (!FROM_SOURCE) return new Worker(bundledWorker(), options);
  return new Worker(SOURCE_BOOTSTRAP, { ...options, eval: true, workerData: { entry: new URL('./documentWorker.ts', import.meta.url).href } });
}
