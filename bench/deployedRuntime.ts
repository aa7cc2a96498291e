// How a deployment runs Node, as infra/app/api.bicep sets it: its options (the function app's NODE_OPTIONS,
// infra/app/node-options.txt, and on Node 22 infra/app/node22-options.txt) and its allocator's settings
// (GLIBC_TUNABLES, infra/app/glibc-tunables.txt). The bench's servers run with them too, so that what it measures is
// what Azure runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Run from source (the tests, the vitest config) the project is one folder up; bundled into dist/bench/, two (dist/
// holds no infra/). The nearer first, so that nothing above the project is ever read.
const INFRA_APP = [join(here, '..'), join(here, '..', '..')].map((root) => join(root, 'infra', 'app')).find((folder) => existsSync(join(folder, 'node-options.txt')));

const words = (file: string) => readFileSync(file, 'utf8').split(/\s+/).filter((word) => word !== '');
const infraFile = (name: string) => {
  if (INFRA_APP === undefined) throw new Error('infra/app/node-options.txt not found beside the bench');
  return join(INFRA_APP, name);
};

/** For the Node major given (this process's by default). */
export function deployedNodeOptions(nodeMajor = Number(process.versions.node.split('.')[0])): string[] {
  return [...words(infraFile('node-options.txt')), ...(nodeMajor === 22 ? words(infraFile('node22-options.txt')) : [])];
}

/** The environment a deployment sets for the process's C library, beside whatever else a server is given. */
export function deployedEnvironment(): Readonly<Record<string, string>> {
  return { GLIBC_TUNABLES: readFileSync(infraFile('glibc-tunables.txt'), 'utf8').trim() };
}
