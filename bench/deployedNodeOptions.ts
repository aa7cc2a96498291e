// The Node options every deployment runs with (infra/app/node-options.txt, the function app's NODE_OPTIONS): the
// bench's servers run with them too, so that what it measures is what Azure runs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/bench/<bundle>.js: the project is two folders up.
const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'infra', 'app', 'node-options.txt');

export function deployedNodeOptions(): string[] {
  return readFileSync(FILE, 'utf8').split(/\s+/).filter((word) => word !== '');
}
