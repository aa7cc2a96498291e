// Checks azure.yaml and .funcignore: a locally built package holding only what the Functions host runs, azd's version
// floor, and the postprovision hook.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ignore from 'ignore';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { azdFloor, bicepOfAzd, compareVersions } from './azdVersions.js';
import { readRepoText, REPO_ROOT } from './infraFiles.js';

interface ShellHook {
  readonly shell?: string;
  readonly run?: string;
}

interface Hook {
  readonly run?: string;
  readonly posix?: ShellHook;
  readonly windows?: ShellHook;
}

interface Service {
  readonly project?: string;
  readonly language?: string;
  readonly host?: string;
  readonly remoteBuild?: boolean;
  readonly hooks?: Record<string, Hook>;
}

interface AzureYaml {
  readonly services?: Record<string, Service>;
  readonly infra?: { path?: string };
  readonly hooks?: Record<string, Hook>;
  readonly requiredVersions?: Record<string, unknown>;
}

const azureYaml = parse(readRepoText('azure.yaml') ?? '') as AzureYaml;
const api = azureYaml.services?.['api'];
const funcignoreText = readRepoText('.funcignore') ?? '';
const funcignore = funcignoreText
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** The bundle entry names `npm run build` writes under dist/ (`'functions/index'` → dist/functions/index.js). */
function buildEntries(): string[] {
  const config = readRepoText('esbuild.config.mjs') ?? '';
  return [...config.matchAll(/'([\w-]+\/[\w-]+)':\s*'[^']+\.ts'/g)].map((match) => match[1] ?? '');
}

/** A copy of the repository's top level plus what a build, npm ci and azd leave, as empty files. */
function projectTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'onbehalf-package-'));
  const touch = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
  };
  for (const entry of readdirSync(REPO_ROOT, { withFileTypes: true })) {
    touch(entry.isDirectory() ? `${entry.name}/file.txt` : entry.name);
  }
  for (const entry of buildEntries()) {
    touch(`dist/${entry}.js`);
    touch(`dist/${entry}.js.map`);
  }
  for (const area of ['functions', 'dev']) {
    touch(`dist/${area}/chunks/chunk-ABC123.js`);
    touch(`dist/${area}/chunks/chunk-ABC123.js.map`);
  }
  touch('dist/unbundled/functions/index.js'); // the bench's unbundled build
  touch('node_modules/@azure/functions/package.json');
  touch('local.settings.json');
  touch('.azure/dev/.env');
  return root;
}

/**
 * What azd zips (pkg/project/project_utils.go): it walks the folder, never enters an excluded folder, and asks a
 * gitignore matcher about each entry; it always leaves out .azure/, the ignore file and local.settings.json.
 */
function packagedPaths(root: string): string[] {
  const rules = ignore().add(funcignoreText);
  const walk = (folder: string): string[] =>
    readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory() && entry.name === '.azure') return [];
      if (!entry.isDirectory() && (entry.name === '.funcignore' || entry.name === 'local.settings.json')) return [];
      if (rules.ignores(entry.isDirectory() ? `${path}/` : path)) return [];
      return entry.isDirectory() ? [`${path}/`, ...walk(path)] : [path];
    });
  return walk('').sort();
}

const trees: string[] = [];
afterAll(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

describe('azure.yaml', () => {
  it('deploys the repository root as a JavaScript function app from infra/', () => {
    expect(api).toMatchObject({ project: '.', language: 'js', host: 'function' });
    expect(azureYaml.infra?.path ?? 'infra').toBe('infra');
  });

  it('builds before packaging, on every shell', () => {
    const hook = api?.hooks?.['prepackage'];
    for (const run of [hook?.posix?.run, hook?.windows?.run]) {
      expect(run).toMatch(/npm ci/);
      expect(run).toMatch(/npm run build/);
    }
  });

  it('requires, in the only form azd reads, an azd that packages .funcignore\'s `!` patterns and brings a recent enough Bicep', () => {
    // azd's schema allows only `azd` and `extensions` under requiredVersions: the azd version is how Bicep is required.
    expect(Object.keys(azureYaml.requiredVersions ?? {})).toEqual(['azd']);
    const floor = azdFloor();
    expect(floor, 'requiredVersions.azd must be ">= x.y.z"').toBeDefined();
    // Before 1.23.13 azd left out of the package every path a negated pattern names: here, all of it.
    expect(funcignore.some((line) => line.startsWith('!'))).toBe(true);
    expect(compareVersions(floor ?? '0', '1.23.13')).toBeGreaterThanOrEqual(0);
    const bicep = bicepOfAzd(floor ?? '0');
    expect(bicep, `the Bicep of azd ${floor ?? ''} is not in test/infra/azdVersions.ts`).toBeDefined();
    // The Microsoft Graph Bicep extension needs 0.36.1; avm/res/web/site 0.21.0 was built with 0.39.
    expect(compareVersions(bicep ?? '0', '0.39.0')).toBeGreaterThanOrEqual(0);
  });

  it('runs the role propagation wait after provisioning, on every shell', () => {
    const hook = azureYaml.hooks?.['postprovision'];
    for (const shell of [hook?.posix, hook?.windows]) {
      expect(shell?.run).toContain('node infra/scripts/waitForRolePropagation.mjs');
    }
    expect(readRepoText('infra/scripts/waitForRolePropagation.mjs')).toBeDefined();
  });
});

describe('.funcignore', () => {
  it('packages exactly what the Functions host runs: the bundle in dist/functions/ with its document worker, host.json and package.json', () => {
    const tree = projectTree();
    trees.push(tree);
    expect(buildEntries()).toContain('functions/index');
    expect(buildEntries().some((entry) => entry.startsWith('bench/'))).toBe(true);
    expect(packagedPaths(tree)).toEqual([
      'dist/',
      'dist/functions/',
      'dist/functions/chunks/',
      'dist/functions/chunks/chunk-ABC123.js',
      'dist/functions/documentWorker.js',
      'dist/functions/index.js',
      'host.json',
      // Kept empty: see the next test.
      'node_modules/',
      'package.json',
    ]);
  });

  it('packages the file package.json names as main', () => {
    const main = (JSON.parse(readRepoText('package.json') ?? '{}') as { main?: string }).main ?? '';
    expect(main).toMatch(/^dist\/functions\//);
    const tree = projectTree();
    trees.push(tree);
    expect(packagedPaths(tree)).toContain(main);
  });

  it('keeps the node_modules folder itself, because azd rejects remoteBuild: false otherwise', () => {
    expect(api?.remoteBuild).toBe(false);
    const lastAboutFolder = funcignore.filter((line) => /^!?\/?node_modules\/?$/.test(line)).at(-1);
    expect(lastAboutFolder).toBe('!/node_modules/');
    expect(funcignore).toContain('/node_modules/*');
  });
});
