// The deployment's safe defaults: regions that offer Flex Consumption, storage and monitoring hardened, outputs that
// azd cannot feed back in as parameters.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deployedNodeOptions } from '../../bench/deployedNodeOptions.js';
import { bicepBlock, bicepText, readRepoText } from './infraFiles.js';

const main = bicepText('infra/main.bicep');

/** The decorators and declaration of a `param`, from the blank line before it. */
function paramDeclaration(text: string, name: string): string {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => line.startsWith(`param ${name} `));
  if (at < 0) throw new Error(`no param ${name}`);
  let from = at;
  while (from > 0 && (lines[from - 1] ?? '').trim() !== '') from--;
  return lines.slice(from, at + 1).join('\n');
}

/** The values of a param's @allowed([...]) list. */
function allowedValues(text: string, name: string): string[] {
  const list = /@allowed\(\[([\s\S]*?)\]\)/.exec(paramDeclaration(text, name))?.[1];
  if (list === undefined) throw new Error(`param ${name} has no @allowed list`);
  return [...list.matchAll(/'([^']*)'/g)].map((match) => match[1] ?? '');
}

describe('regions', () => {
  const regions = allowedValues(main, 'location');

  it('accepts only Flex Consumption regions, so a wrong one fails before any app registration exists', () => {
    expect(regions).toEqual(expect.arrayContaining(['eastus', 'eastus2', 'westeurope', 'northeurope', 'swedencentral', 'australiaeast']));
    // Regions without Flex Consumption, and sovereign clouds, where the Microsoft Graph Bicep extension does not deploy.
    for (const region of ['japanwest', 'westindia', 'francesouth', 'usgovvirginia', 'chinaeast2']) expect(regions).not.toContain(region);
    for (const region of regions) expect(region).toMatch(/^[a-z0-9]+$/);
  });

  it('is still the location azd prompts for', () => {
    expect(paramDeclaration(main, 'location')).toMatch(/type: 'location'/);
  });
});

describe('storage', () => {
  const storage = bicepBlock(main, 'module storage ');

  it('keeps data in its region (LRS) unless a redundancy is chosen', () => {
    expect(paramDeclaration(main, 'storageSku')).toMatch(/param storageSku string = 'Standard_LRS'$/);
    expect(storage).toMatch(/skuName: storageSku/);
    expect(readRepoText('infra/main.parameters.json')).toContain('"${STORAGE_SKU=Standard_LRS}"');
  });

  it('allows no shared keys, no public blobs and no replication to other tenants', () => {
    expect(storage).toMatch(/allowSharedKeyAccess: false/);
    expect(storage).toMatch(/allowBlobPublicAccess: false/);
    expect(storage).toMatch(/allowCrossTenantReplication: false/);
  });
});

describe('monitoring', () => {
  it('Application Insights masks client IP addresses and takes no instrumentation key', () => {
    const monitoring = bicepBlock(main, 'module monitoring ');
    expect(monitoring).toMatch(/disableIpMasking: false/);
    expect(monitoring).toMatch(/disableLocalAuth: true/);
  });

  it('Log Analytics takes no workspace keys', () => {
    expect(bicepBlock(main, 'module logAnalytics ')).toMatch(/features: \{[\s\S]*disableLocalAuth: true[\s\S]*\}/);
  });
});

describe('outputs', () => {
  it('never share a name with a variable main.parameters.json reads, which azd would feed back in', () => {
    const outputs = [...main.matchAll(/^output (\w+) /gm)].map((match) => match[1] ?? '');
    const variables = [...(readRepoText('infra/main.parameters.json') ?? '').matchAll(/\$\{(\w+)/g)].map((match) => match[1] ?? '');
    // AZURE_LOCATION is the one exception azd itself expects back.
    expect(outputs.filter((name) => variables.includes(name) && name !== 'AZURE_LOCATION')).toEqual([]);
  });
});

describe('Visual Studio Code', () => {
  it('is pre-authorized on the server scope only when PREAUTHORIZE_VSCODE asks, by the id of its Microsoft sign-in', () => {
    expect(paramDeclaration(main, 'preAuthorizeVsCode')).toMatch(/param preAuthorizeVsCode bool = false$/);
    expect(readRepoText('infra/main.parameters.json')).toContain('"${PREAUTHORIZE_VSCODE=false}"');
    // VS Code's DEFAULT_CLIENT_ID (extensions/microsoft-authentication/src/common/scopeData.ts).
    expect(main).toMatch(/^var vsCodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'$/m);
    expect(bicepBlock(main, 'module entra ')).toMatch(/preAuthorizedClientIds: union\([^\n]*, preAuthorizeVsCode \? \[vsCodeClientId\] : \[\]\)/);
  });
});

describe('the Node runtime', () => {
  const api = bicepText('infra/app/api.bicep');
  const words = (file: string) => (readRepoText(file) ?? '').trim().split(/\s+/);
  const common = words('infra/app/node-options.txt');

  it('sets NODE_OPTIONS from node-options.txt, and node22-options.txt on Node 22 alone, the files the bench runs its servers with', () => {
    expect(api).toMatch(/^var nodeVersion = '22'$/m);
    expect(api).toMatch(/^\s*version: nodeVersion$/m);
    expect(api).toMatch(/^var commonNodeOptions = trim\(loadTextContent\('node-options\.txt'\)\)$/m);
    expect(api).toMatch(/^var nodeOptions = nodeVersion == '22' \? '\$\{commonNodeOptions\} \$\{trim\(loadTextContent\('node22-options\.txt'\)\)\}' : commonNodeOptions$/m);
    expect(api).toMatch(/^\s*NODE_OPTIONS: nodeOptions$/m);
    expect(deployedNodeOptions(22)).toEqual([...common, ...words('infra/app/node22-options.txt')]);
    expect(deployedNodeOptions(24)).toEqual(common);
  });

  it('caps the heap well inside the smallest instance', () => {
    const smallest = Number(/param instanceMemoryMB int = (\d+)/.exec(api)?.[1]);
    const oldSpace = Number(common.find((option) => option.startsWith('--max-old-space-size='))?.split('=')[1]);
    expect(oldSpace).toBeGreaterThanOrEqual(256);
    expect(oldSpace).toBeLessThanOrEqual(smallest / 3);
    for (const option of common) expect(option).toMatch(/^--(max-old-space-size|max-semi-space-size)=\d+$/);
  });

  it('on Node 22, runs AsyncLocalStorage on AsyncContextFrame, as Node 24 does by default (which refuses the flag)', () => {
    expect(words('infra/app/node22-options.txt')).toEqual(['--experimental-async-context-frame']);
  });

  it('starts this Node with the options it would be deployed with, given as NODE_OPTIONS', () => {
    const started = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.execArgv.length))'], {
      env: { PATH: process.env['PATH'] ?? '', NODE_OPTIONS: deployedNodeOptions().join(' ') },
      encoding: 'utf8',
    });
    expect(started.stderr).toBe('');
    expect(started.status).toBe(0);
  });
});
