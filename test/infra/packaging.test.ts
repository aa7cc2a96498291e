// Checks azure.yaml and .funcignore agree on a locally built package of bundles, as azd requires.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readRepoText } from './infraFiles.js';

interface Hook {
  readonly run?: string;
  readonly posix?: { readonly run?: string };
  readonly windows?: { readonly run?: string };
}

interface Service {
  readonly project?: string;
  readonly language?: string;
  readonly host?: string;
  readonly remoteBuild?: boolean;
  readonly hooks?: Record<string, Hook>;
}

const azureYaml = parse(readRepoText('azure.yaml') ?? '') as { services?: Record<string, Service>; infra?: { path?: string } };
const api = azureYaml.services?.['api'];
const funcignore = (readRepoText('.funcignore') ?? '')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

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
});

describe('.funcignore', () => {
  it('adds back the bundles, host.json and package.json after excluding everything', () => {
    expect(funcignore[0]).toBe('*');
    expect(funcignore).toEqual(expect.arrayContaining(['!/dist/**', '!/host.json', '!/package.json']));
  });

  it('keeps the node_modules folder itself, because azd rejects remoteBuild: false otherwise', () => {
    expect(api?.remoteBuild).toBe(false);
    const lastAboutFolder = funcignore.filter((line) => /^!?\/?node_modules\/?$/.test(line)).at(-1);
    expect(lastAboutFolder).toBe('!/node_modules/');
    expect(funcignore).toContain('/node_modules/*');
  });
});
