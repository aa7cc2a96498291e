// Checks the GitHub workflows parse and run the README's test command, and that deploy signs in without secrets.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readRepoText, workflowFiles } from './infraFiles.js';

const TEST_COMMAND = 'npm test';

interface Step {
  readonly uses?: string;
  readonly run?: string;
}

interface Job {
  readonly needs?: string | readonly string[];
  readonly environment?: string | { readonly name?: string };
  readonly permissions?: Record<string, string>;
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

  it('README.md gives the same test command', () => {
    expect(readRepoText('README.md') ?? '').toContain(TEST_COMMAND);
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

  it('signs in with the workflow OIDC token and repository variables, not secrets', () => {
    expect(job?.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    expect(runs(job)).toMatch(/azd auth login[\s\S]*--federated-credential-provider github/);
    const text = readRepoText('.github/workflows/deploy.yml') ?? '';
    for (const name of ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID']) {
      expect(text).toContain(`${name}: \${{ vars.${name} }}`);
    }
    expect(text).not.toMatch(/secrets\./);
  });

  it('provisions, then deploys, without prompts', () => {
    const commands = runs(job);
    const provision = commands.indexOf('azd provision --no-prompt');
    const deployIndex = commands.indexOf('azd deploy --no-prompt');
    expect(provision).toBeGreaterThanOrEqual(0);
    expect(deployIndex).toBeGreaterThan(provision);
  });
});
