// Checks the GitHub workflows: the README's test command, Bicep built and linted on every pull request with the Bicep
// `azd provision` uses, and a deploy that signs in without secrets, passes every deployment setting, previews first,
// runs from main only and uses the azd azure.yaml requires.
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { azdFloor, bicepOfAzd } from './azdVersions.js';
import { bicepFiles, readRepoText, workflowFiles } from './infraFiles.js';

const TEST_COMMAND = 'npm test';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

interface Job {
  readonly if?: string;
  readonly needs?: string | readonly string[];
  readonly environment?: string | { readonly name?: string };
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly steps?: readonly Step[];
}

interface Workflow {
  readonly on?: unknown;
  readonly jobs?: Record<string, Job>;
}

function parseWorkflow(text: string, path: string): Workflow {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((error) => error.message).join('; ')}`);
  return document.toJS() as Workflow;
}

const workflows = workflowFiles().map((file) => ({ path: file.path, workflow: parseWorkflow(file.text, file.path) }));

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs ?? {}).flatMap((job) => [...(job.steps ?? [])]);
}

function runs(job: Job | undefined): string {
  return (job?.steps ?? []).map((step) => step.run ?? '').join('\n');
}

// The first majors on the Node 24 action runtime (Node 20's is retired); older ones must not come back.
const CURRENT_MAJORS: Record<string, number> = {
  'actions/checkout': 6,
  'actions/setup-node': 6,
  'Azure/setup-azd': 2,
};

// Parameters azd fills itself from the signed-in identity; every other ${VAR} must come from the job.
const FILLED_BY_AZD = new Set(['AZURE_PRINCIPAL_ID', 'AZURE_PRINCIPAL_TYPE']);

/** The `${VAR}` and `${VAR=default}` names infra/main.parameters.json reads from the azd environment. */
function parameterVariables(): string[] {
  const text = readRepoText('infra/main.parameters.json') ?? '';
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:=[^}]*)?\}/g)].map((match) => match[1] ?? ''))];
}

describe('.github/workflows', () => {
  it('has ci.yml and deploy.yml', () => {
    expect(workflows.map((entry) => entry.path)).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/deploy.yml']),
    );
  });

  it.each(workflows)('$path runs the test command', ({ workflow }) => {
    expect(steps(workflow).some((step) => (step.run ?? '').includes(TEST_COMMAND))).toBe(true);
  });

  it.each(workflows)('$path pins every action to a major version', ({ workflow }) => {
    for (const step of steps(workflow)) {
      if (step.uses !== undefined) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });

  it.each(workflows)('$path uses only known actions, at their current majors', ({ workflow }) => {
    for (const step of steps(workflow)) {
      if (step.uses === undefined) continue;
      const [action = '', version = ''] = step.uses.split('@');
      expect(Object.keys(CURRENT_MAJORS), `${action} is not in the list of reviewed actions`).toContain(action);
      expect(Number(version.slice(1)), step.uses).toBeGreaterThanOrEqual(CURRENT_MAJORS[action] ?? Infinity);
    }
  });

  it('README.md gives the same test command', () => {
    expect(readRepoText('README.md') ?? '').toContain(TEST_COMMAND);
  });
});

describe('ci.yml', () => {
  const ci = workflows.find((entry) => entry.path === '.github/workflows/ci.yml')?.workflow ?? {};
  const commands = Object.values(ci.jobs ?? {}).map(runs).join('\n');

  it('tests on Node 22, which Azure runs, and 24', () => {
    const test = (ci.jobs ?? {})['test'];
    expect(test?.strategy?.matrix?.node).toEqual([22, 24]);
    expect(test?.steps?.find((step) => step.uses?.startsWith('actions/setup-node@'))).toMatchObject({
      with: { 'node-version': '${{ matrix.node }}' },
    });
  });

  it('runs the MCP conformance suite, as .ci/run does', () => {
    expect(commands).toContain('npm run test:conformance');
    expect(readRepoText('.ci/run') ?? '').toMatch(/^npm run test:conformance$/m);
  });

  it('runs on every pull request', () => {
    expect(Object.keys((ci.on ?? {}) as Record<string, unknown>)).toContain('pull_request');
  });

  it('builds infra/main.bicep, which compiles every module it uses', () => {
    expect(commands).toMatch(/^\s*bicep build infra\/main\.bicep\b/m);
  });

  it('lints every Bicep file', () => {
    const lint = /^\s*bicep lint "\$file"/m.test(commands) ? /for file in ([^;\n]+)/.exec(commands)?.[1] ?? '' : '';
    const targets = lint.trim().split(/\s+/).filter((target) => target !== '');
    // A target is a file or a `folder/*.bicep` glob, which covers that folder's files only.
    const covered = (path: string) => targets.some((target) => target === path || target === `${posix.dirname(path)}/*.bicep`);
    expect(targets.length).toBeGreaterThan(0);
    for (const file of bicepFiles()) expect(covered(file.path), `${file.path} is not linted`).toBe(true);
  });

  it('lints with rules that fail the build, set in infra/bicepconfig.json', () => {
    const config = JSON.parse(readRepoText('infra/bicepconfig.json') ?? '{}') as {
      analyzers?: { core?: { enabled?: boolean; rules?: Record<string, { level?: string }> } };
    };
    expect(config.analyzers?.core?.enabled).toBe(true);
    const errors = Object.entries(config.analyzers?.core?.rules ?? {}).filter(([, rule]) => rule.level === 'error').map(([name]) => name);
    expect(errors).toEqual(expect.arrayContaining(['no-unused-params', 'no-unused-vars', 'no-hardcoded-env-urls', 'outputs-should-not-contain-secrets', 'secure-secrets-in-params']));
  });
});

describe('deploy.yml', () => {
  const deploy = workflows.find((entry) => entry.path === '.github/workflows/deploy.yml')?.workflow ?? {};
  const job = deploy.jobs?.['deploy'];

  it('deploys only after the tests pass, behind the production environment', () => {
    expect([job?.needs].flat()).toContain('test');
    const environment = typeof job?.environment === 'string' ? job.environment : job?.environment?.name;
    expect(environment).toBe('production');
  });

  it('deploys only from main, even when started by hand on another branch', () => {
    expect(Object.keys((deploy.on ?? {}) as Record<string, unknown>)).toContain('workflow_dispatch');
    expect(job?.if?.replace(/\s+/g, ' ')).toMatch(/github\.ref == 'refs\/heads\/main'/);
  });

  it('signs in with the workflow OIDC token and repository variables, not secrets', () => {
    expect(job?.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    expect(runs(job)).toMatch(/azd auth login[\s\S]*--federated-credential-provider github/);
    const text = readRepoText('.github/workflows/deploy.yml') ?? '';
    for (const name of ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID']) {
      expect(text).toContain(`${name}: \${{ vars.${name} }}`);
    }
    expect(text).not.toMatch(/secrets\./);
  });

  it('passes every variable infra/main.parameters.json reads, except what azd fills itself, from the environment\'s variables', () => {
    const names = parameterVariables().filter((name) => !FILLED_BY_AZD.has(name));
    expect(names).toEqual(expect.arrayContaining(['AZURE_ENV_NAME', 'AZURE_LOCATION', 'MCP_PUBLIC_URL', 'GRANT_ADMIN_CONSENT']));
    const missing = names.filter((name) => job?.env?.[name] !== `\${{ vars.${name} }}`);
    expect(missing).toEqual([]);
  });

  it('previews the changes (what-if) into the job summary, then provisions, then deploys, without prompts', () => {
    const commands = runs(job);
    const preview = commands.indexOf('azd provision --preview --no-prompt');
    const provision = commands.indexOf('azd provision --no-prompt');
    const deployIndex = commands.indexOf('azd deploy --no-prompt');
    expect(preview).toBeGreaterThanOrEqual(0);
    expect(provision).toBeGreaterThan(preview);
    expect(deployIndex).toBeGreaterThan(provision);
    const previewStep = job?.steps?.find((step) => (step.run ?? '').includes('azd provision --preview'));
    expect(previewStep?.run).toContain('$GITHUB_STEP_SUMMARY');
  });
});

describe('Node version', () => {
  const nvmrc = (readRepoText('.nvmrc') ?? '').trim();
  const engines = (JSON.parse(readRepoText('package.json') ?? '{}') as { engines?: { node?: string } }).engines?.node;

  it('.nvmrc names the major Azure Functions runs, and the engines field admits it and nothing older', () => {
    expect(nvmrc).toBe('22');
    expect(engines).toBe('^22.13.0 || >=24');
  });

  it('.ci/run puts that major on PATH before it installs or tests anything', () => {
    const run = readRepoText('.ci/run') ?? '';
    expect(run).toContain('.nvmrc');
    expect(run).toMatch(/"node@\$wanted"/);
    expect(run.indexOf('export PATH=')).toBeGreaterThan(-1);
    expect(run.indexOf('export PATH=')).toBeLessThan(run.indexOf('npm ci'));
    expect(run.indexOf('npm ci')).toBeLessThan(run.indexOf(`${TEST_COMMAND}\n`));
  });
});

describe('azd and Bicep versions', () => {
  const ci = workflows.find((entry) => entry.path === '.github/workflows/ci.yml')?.workflow ?? {};
  const deploy = workflows.find((entry) => entry.path === '.github/workflows/deploy.yml')?.workflow ?? {};
  const floor = azdFloor();

  it('deploys with the azd azure.yaml requires, not whichever is newest that day', () => {
    expect(floor).toBeDefined();
    const setup = (deploy.jobs?.['deploy']?.steps ?? []).find((step) => step.uses?.startsWith('Azure/setup-azd@'));
    expect(String(setup?.with?.['version'])).toBe(floor);
  });

  it('compiles the Bicep in CI with the Bicep that azd downloads for `azd provision`, from where azd downloads it', () => {
    const job = ci.jobs?.['bicep'];
    const version = job?.env?.['BICEP_VERSION'];
    expect(version).toBeDefined();
    expect(version).toBe(bicepOfAzd(floor ?? '0'));
    const commands = runs(job);
    expect(commands).toContain('https://downloads.bicep.azure.com/v${BICEP_VERSION}/bicep-linux-x64');
    // The runner image has a Bicep of its own on PATH; the job checks it runs the one it installed.
    expect(commands).toContain('test "$(command -v bicep)" = "$RUNNER_TEMP/bicep/bicep"');
    expect(commands).not.toMatch(/az bicep (upgrade|install)/);
  });
});
