// Runs the postprovision hook as azd does (azd environment values as environment variables) and checks when it waits.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './infraFiles.js';

const SCRIPT = join(REPO_ROOT, 'infra', 'scripts', 'waitForRolePropagation.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runHook(values: Record<string, string>): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], ...values };
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { env, timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('infra/scripts/waitForRolePropagation.mjs', () => {
  it('goes on at once when the azd environment has no role assignment yet (a preview before the first provision)', async () => {
    const run = await runHook({});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing to wait for');
  });

  it('goes on at once when the role was assigned long ago (every provision after the first)', async () => {
    const run = await runHook({ DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT: minutesAgo(60) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing to wait for');
    expect(run.stdout).not.toContain('waiting');
  });

  it('waits out the rest of the propagation time after a fresh assignment, then goes on', async () => {
    const run = await runHook({ DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT: new Date().toISOString(), ROLE_PROPAGATION_WAIT_SECONDS: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/waiting 1 s/);
    expect(run.stdout).toContain('done waiting');
  });

  it('waits by default for an assignment made a minute ago', async () => {
    // Killed by the timeout: the default wait (minutes) is far longer than this test may take.
    const run = await new Promise<{ stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [SCRIPT], { env: { PATH: process.env['PATH'], DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT: minutesAgo(1) } }, (_error, stdout) => {
        resolve({ stdout });
      });
      child.stdout?.once('data', () => child.kill());
    });
    expect(run.stdout).toMatch(/waiting \d+ s/);
  });

  it('refuses a wait setting that is not a number of seconds', async () => {
    const run = await runHook({ DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT: minutesAgo(1), ROLE_PROPAGATION_WAIT_SECONDS: 'soon' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ROLE_PROPAGATION_WAIT_SECONDS');
  });

  it('does not stop a deployment over a malformed time', async () => {
    const run = await runHook({ DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT: 'yesterday-ish' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('not a time');
  });
});
