// Keeps infra/, README.md and local.settings.sample.json in step with the settings the server reads.
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingName } from '../../shared/config/settings.js';
import { bicepFiles, readRepoText, type RepoFile } from './infraFiles.js';

const NAMES = Object.keys(SETTINGS) as SettingName[];
const REQUIRED_IN_PRODUCTION = NAMES.filter((name) => SETTINGS[name].requiredInProduction);
const SERVER_PREFIX = /^(ENTRA|MCP|GRAPH|RATE_LIMIT|TABLES)_/;
// Keys the Functions host (not our code) reads; they may appear in app settings and local settings.
const HOST_SETTING = /^(AzureWebJobs|FUNCTIONS_|APPLICATIONINSIGHTS_|WEBSITE_)/;

/** Object keys (`NAME: value`) written in Bicep, i.e. app setting names. */
function bicepKeys(files: readonly RepoFile[]): Set<string> {
  const keys = new Set<string>();
  for (const file of files) {
    for (const match of file.text.matchAll(/^\s*'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:/gm)) keys.add(match[1] ?? '');
  }
  return keys;
}

// Top-level statements start in column 0; `type:` inside a decorator's object does not count.
const DECLARATION = /^(param|var|resource|module|output|targetScope|extension|import|type|func|metadata)\b(?!\s*:)/;

/** `param` names in a Bicep file that have no @description among their decorators. */
function paramsWithoutDescription(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const missing: string[] = [];
  lines.forEach((line, index) => {
    const param = /^\s*param\s+(\w+)/.exec(line);
    if (param === null) return;
    const decorators: string[] = [];
    for (let i = index - 1; i >= 0; i--) {
      const previous = lines[i] ?? '';
      if (previous.trim() === '' || DECLARATION.test(previous) || previous.trim().startsWith('//')) break;
      decorators.push(previous);
    }
    if (!decorators.some((decorator) => decorator.trim().startsWith('@description('))) missing.push(param[1] ?? '');
  });
  return missing;
}

function parseJson(path: string): unknown {
  const text = readRepoText(path);
  if (text === undefined) throw new Error(`${path} is missing`);
  return JSON.parse(text) as unknown;
}

describe('infra/ Bicep', () => {
  const files = bicepFiles();
  const keys = bicepKeys(files);

  it('exists', () => {
    expect(files.map((file) => file.path)).toContain('infra/main.bicep');
  });

  it.each(REQUIRED_IN_PRODUCTION)('sets %s, which production requires', (name) => {
    expect(keys.has(name), `no Bicep file sets ${name}`).toBe(true);
  });

  it('sets only settings the server knows', () => {
    const unknown = [...keys].filter((key) => SERVER_PREFIX.test(key) && !(key in SETTINGS));
    expect(unknown).toEqual([]);
  });

  it('never turns on dev mode', () => {
    for (const file of files) expect(file.text, file.path).not.toMatch(/MCP_DEV_MODE/);
  });

  it('describes every parameter', () => {
    for (const file of files) expect(paramsWithoutDescription(file.text), file.path).toEqual([]);
  });

  it('pins every Azure Verified Module to an exact version', () => {
    const references = files.flatMap((file) =>
      [...file.text.matchAll(/'br\/public:(avm\/[^']*)'/g)].map((match) => ({ path: file.path, ref: match[1] ?? '' })),
    );
    expect(references.length).toBeGreaterThan(0);
    for (const { path, ref } of references) expect(ref, path).toMatch(/^avm\/[a-z0-9/-]+:\d+\.\d+\.\d+$/);
  });

  it('pins the Microsoft Graph extension', () => {
    const config = parseJson('infra/bicepconfig.json') as { extensions?: Record<string, string> };
    const graph = config.extensions?.['microsoftGraphV1'] ?? '';
    expect(graph).toMatch(/^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:\d+\.\d+\.\d+$/);
  });

  it('gives main.parameters.json only parameters main.bicep declares, and every required one azd does not generate', () => {
    const main = files.find((file) => file.path === 'infra/main.bicep')?.text ?? '';
    // A parameter whose azd metadata says `type: 'generate'` is filled by azd on the first provision and kept.
    const generated = new Set([...main.matchAll(/type: 'generate'[^@]*?\}\)\s*param\s+(\w+)/g)].map((match) => match[1]));
    const declared = [...main.matchAll(/^\s*param\s+(\w+)\s+\w+(\s*=)?/gm)].map((match) => ({
      name: match[1] ?? '',
      hasDefault: match[2] !== undefined || generated.has(match[1]),
    }));
    const file = parseJson('infra/main.parameters.json') as { parameters: Record<string, unknown> };
    const given = Object.keys(file.parameters);
    expect(given.filter((name) => !declared.some((param) => param.name === name))).toEqual([]);
    expect(declared.filter((param) => !param.hasDefault && !given.includes(param.name)).map((param) => param.name)).toEqual([]);
  });
});

describe('README.md', () => {
  it('documents every setting, in backticks', () => {
    const readme = readRepoText('README.md');
    expect(readme, 'README.md is missing').toBeDefined();
    expect(NAMES.filter((name) => !(readme ?? '').includes(`\`${name}\``))).toEqual([]);
  });
});

describe('local.settings.sample.json', () => {
  const sample = parseJson('local.settings.sample.json') as { Values?: Record<string, unknown> };
  const values = sample.Values ?? {};

  it('lists every setting', () => {
    expect(NAMES.filter((name) => !(name in values))).toEqual([]);
  });

  it('lists nothing the server or the Functions host does not read', () => {
    const extra = Object.keys(values).filter((key) => !(key in SETTINGS) && !HOST_SETTING.test(key));
    expect(extra).toEqual([]);
  });

  it('holds only strings', () => {
    for (const [key, value] of Object.entries(values)) expect(typeof value, key).toBe('string');
  });

  it('starts in dev mode, with no Entra identity or public URL to leak', () => {
    expect(['1', '']).toContain(values['MCP_DEV_MODE']);
    for (const name of NAMES.filter((setting) => setting.startsWith('ENTRA_'))) expect(values[name], name).toBe('');
    expect(values['MCP_PUBLIC_URL']).toBe('');
  });

  it('contains nothing that looks like a secret', () => {
    const secretLike = [
      /AccountKey=/i,
      /SharedAccessSignature=|[?&]sig=/i,
      /^eyJ[\w-]+\.[\w-]+\./, // a JWT
      /-----BEGIN/,
      /^[A-Za-z0-9+/_~.-]{32,}={0,2}$/, // a long opaque key or client secret
    ];
    for (const [key, value] of Object.entries(values)) {
      for (const pattern of secretLike) expect(String(value), key).not.toMatch(pattern);
    }
  });
});
