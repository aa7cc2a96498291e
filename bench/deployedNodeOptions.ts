// The Node options a deployment runs with on this machine's Node (the function app's NODE_OPTIONS, as
// infra/app/api.bicep builds it): infra/app/node-options.txt, and on Node 22 infra/app/node22-options.txt. The bench's
// servers run with them too, so that what it measures is what Azure runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Run from source (the tests, the vitest config) the project is one folder up; bundled into dist/bench/, two (dist/
// holds no infra/). The nearer first, so that nothing above the project is ever read.
const INFRA_APP = [join(here, '..'), join(here, '..', '..')].map((root) => join(root, 'infra', 'app')).find((folder) => existsSync(join(folder, 'node-options.txt')));

const words = (file: string) => readFileSync(file, 'utf8').split(/\s+/).filter((word) => word !== '');

/** For the Node major given (this process's by default). */
export function deployedNodeOptions(nodeMajor = Number(process.versions.node.split('.')[0])): string[] {
  if (INFRA_APP === undefined) throw new Error('infra/app/node-options.txt not found beside the bench');
  return [...words(join(INFRA_APP, 'node-options.txt')), ...(nodeMajor === 22 ? words(join(INFRA_APP, 'node22-options.txt')) : [])];
}
