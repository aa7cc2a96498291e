// The README and docs/ stand alone: every link resolves inside the repository, every anchor to a heading, and the
// deployment guide covers the failures a first deployment can meet.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azdFloor } from './azdVersions.js';
import { readRepoFiles, readRepoText, REPO_ROOT, type RepoFile } from './infraFiles.js';

const documents: RepoFile[] = [
  { path: 'README.md', text: readRepoText('README.md') ?? '' },
  ...readRepoFiles('docs', (name) => name.endsWith('.md')),
];

/** Inline markdown links and images: `[text](target)`. */
function links(text: string): string[] {
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(text: string): Set<string> {
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug((match[1] ?? '').replace(/`/g, ''))));
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe.each(documents)('$path', ({ path, text }) => {
  it('links only to files inside the repository', () => {
    for (const target of links(text).filter((link) => !isExternal(link) && !link.startsWith('#'))) {
      const file = resolve(REPO_ROOT, dirname(path), target.split('#')[0] ?? '');
      expect(relative(REPO_ROOT, file).startsWith('..'), `${target} leaves the repository`).toBe(false);
      expect(existsSync(file), `${target} does not exist`).toBe(true);
    }
  });

  it('links to headings that exist', () => {
    for (const target of links(text).filter((link) => !isExternal(link) && link.includes('#'))) {
      const [file = '', anchor = ''] = target.split('#');
      const targetText = file === '' ? text : readRepoText(relative(REPO_ROOT, join(REPO_ROOT, dirname(path), file)).split('\\').join('/')) ?? '';
      expect(anchors(targetText).has(anchor), `${target}: no such heading`).toBe(true);
    }
  });
});

describe('docs/deploy.md', () => {
  const deploy = readRepoText('docs/deploy.md') ?? '';
  const troubleshooting = deploy.slice(deploy.indexOf('## Troubleshooting the first deployment'));

  it('has a section on troubleshooting the first deployment', () => {
    expect(deploy).toContain('## Troubleshooting the first deployment');
  });

  it.each([
    ['azd too old for the .funcignore and the Bicep', 'requiredVersions', /'>= 1\.23\.13'/],
    ['no right to register applications', 'Application Developer', /Authorization_RequestDenied[\s\S]*Application Developer/],
    ['no right to grant consent', 'GRANT_ADMIN_CONSENT', /serverGraphConsent[\s\S]*Cloud Application\s+Administrator/],
    ['a region without Flex Consumption', 'location', /`location`/],
    ['a sovereign cloud', 'national clouds', /21Vianet/],
    ['the blob role still propagating', '403', /403[\s\S]*ROLE_PROPAGATION_WAIT_SECONDS/],
    ['a public URL reset by the workflow', 'MCP_PUBLIC_URL', /host_not_allowed[\s\S]*`MCP_PUBLIC_URL`/],
    ['admin consent set but not passed', 'GRANT_ADMIN_CONSENT', /`GRANT_ADMIN_CONSENT=true`/],
    ['no reply address for admin consent', 'AADSTS900971', /AADSTS900971/],
    ['permissions no tool uses', 'least privilege', /GRAPH_SCOPES_GRANTED/],
    ['a deployment from another branch', 'branch rule', /environment protection rules/],
    ['Bicep failing in CI', 'bicep job', /infra\/bicepconfig\.json/],
    ['the federated credential', 'secretless OBO', /AADSTS700213/],
    ['a package with more than the bundle', '.funcignore', /dist\/bench\//],
  ])('covers %s (%s)', (_case, _topic, pattern) => {
    expect(troubleshooting).toMatch(pattern);
  });
});

describe('docs/deploy.md before deploying', () => {
  const deploy = readRepoText('docs/deploy.md') ?? '';
  const prerequisites = deploy.slice(deploy.indexOf('## Prerequisites'), deploy.indexOf('## Deploy from your machine'));
  const github = deploy.slice(deploy.indexOf('## Deploy from GitHub Actions'), deploy.indexOf('## Troubleshooting the first deployment'));

  it.each([
    ['the azd floor azure.yaml declares', new RegExp(`Azure Developer CLI\\]\\([^)]*\\) ${(azdFloor() ?? 'none').replaceAll('.', '\\.')} or later`)],
    ['the Azure CLI, and what it is for', /Azure CLI[\s\S]*az ad app credential reset[\s\S]*az ad app permission grant/],
    ['a person\'s Entra role where users cannot register apps', /Users can register applications[\s\S]*Application Developer/],
    ['a role that may grant tenant-wide consent, for GRANT_ADMIN_CONSENT', /GRANT_ADMIN_CONSENT=true`[^\n]*Cloud Application Administrator[^\n]*Application Administrator/],
    ['that ChannelMessage.Read.All always needs an administrator', /ChannelMessage\.Read\.All[\s\S]{0,120}always needs an administrator's\s+consent/],
  ])('prerequisites name %s', (_topic, pattern) => {
    expect(prerequisites).toMatch(pattern);
  });

  it('names the workflow identity\'s Microsoft Graph permissions, and which setting needs the grant permission', () => {
    expect(github).toMatch(/`Application\.ReadWrite\.OwnedBy`/);
    expect(github).toMatch(/`DelegatedPermissionGrant\.ReadWrite\.All`, only with `GRANT_ADMIN_CONSENT=true`/);
  });

  it('says a first deployment provisions twice, because Foundry shows its redirect URL only after the first', () => {
    expect(deploy).toMatch(/### Two provisions[\s\S]*azd up[\s\S]*FOUNDRY_REDIRECT_URI[\s\S]*azd provision/);
  });

  it('lists in its Settings table every variable infra/main.parameters.json reads, except those azd sets itself', () => {
    const settings = deploy.slice(deploy.indexOf('## Settings'), deploy.indexOf('## Deploy from GitHub Actions'));
    const listed = new Set([...settings.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?/gm)].flatMap((match) => [match[1], match[2]]));
    const read = [...(readRepoText('infra/main.parameters.json') ?? '').matchAll(/\$\{([A-Z_]+)/g)].map((match) => match[1] ?? '');
    const azdOwn = ['AZURE_ENV_NAME', 'AZURE_LOCATION', 'AZURE_PRINCIPAL_ID'];
    expect(read).toContain('REGISTER_PUBLIC_CLIENT');
    expect(read.filter((name) => !azdOwn.includes(name) && !listed.has(name))).toEqual([]);
  });

  it('names the CI Bicep version azure.yaml\'s azd brings', () => {
    expect(github).toMatch(/Bicep 0\.41\.2[\s\S]*azd 1\.23\.13/);
  });
});

describe('README Security', () => {
  const readme = readRepoText('README.md') ?? '';
  const start = readme.indexOf('\n## Security\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const guarantees = section.split('\n').filter((line) => line.startsWith('- '));

  it('is one section', () => {
    expect(start).toBeGreaterThan(0);
    expect(readme.match(/^## Security/gm)).toHaveLength(1);
  });

  it('names, for every guarantee, a file that exists and proves it', () => {
    expect(guarantees.length).toBeGreaterThan(30);
    for (const line of guarantees) {
      const named = [...line.matchAll(/`((?:test\/|eslint)[^`]+)`/g)].map((match) => match[1] ?? '');
      expect(named.length, `no test named for: ${line.slice(0, 80)}`).toBeGreaterThan(0);
      for (const path of named) expect(existsSync(join(REPO_ROOT, path)), `${path} does not exist`).toBe(true);
    }
  });
});

describe('the MCP Inspector release the browser test pins', () => {
  const manifest = JSON.parse(readRepoText('test/support/inspector/package.json') ?? '{}') as { dependencies?: Record<string, string> };
  const version = manifest.dependencies?.['@modelcontextprotocol/inspector'] ?? '';
  const lock = JSON.parse(readRepoText('test/support/inspector/package-lock.json') ?? '{}') as { packages?: Record<string, { version?: string }> };

  it('is one exact version, which the lockfile installs', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(lock.packages?.['node_modules/@modelcontextprotocol/inspector']?.version).toBe(version);
  });

  it.each(['README.md', 'docs/clients.md'])('is the one %s names', (path) => {
    const text = readRepoText(path) ?? '';
    expect(text).toContain(`**${version}**`);
    for (const named of text.matchAll(/Inspector[^.\n]*?\*\*(\d+\.\d+\.\d+)\*\*/g)) expect(named[1]).toBe(version);
  });
});
