// The Node options every deployment runs with (infra/app/node-options.txt, the function app's NODE_OPTIONS): the
// bench's servers run with them too, so that what it measures is what Azure runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Bundled into dist/bench/ the project is two folders up; run from source (the tests), one.
const FILE = [join(here, '..', '..'), join(here, '..')].map((root) => join(root, 'infra', 'app', 'node-options.txt')).find((file) => existsSync(file));

export function deployedNodeOptions(): string[] {
  if (FILE === undefined) throw new Error('infra/app/node-options.txt not found beside the bench');
  return readFileSync(FILE, 'utf8').split(/\s+/).filter((word) => word !== '');
}
