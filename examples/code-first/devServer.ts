// The running `npm start` in dev mode: its connection as `npm run foundry:config -- --dev --json` prints it, and the certificate to trust.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_CONNECTION_FILE } from '../../sandbox/devConnection.js';
import { DEV_PUBLIC_CLIENT_ID, fromPrintedConfig, SettingsError } from './settings.js';

export interface DevServer {
  readonly mcpUrl: string;
  readonly authority: string;
  readonly scope: string;
  readonly clientId: string;
  /** NODE_EXTRA_CA_CERTS for this run's local certificate (plus the user's own extra CAs). */
  readonly caCertPath: string;
}

/** Reads the connection of the `npm start` running in checkout `root`. Throws `SettingsError` `config_unreadable` saying what to start. */
export function devServer(root: string): DevServer {
  let printed: string;
  try {
    printed = execFileSync(process.execPath, ['--', join(root, 'infra', 'scripts', 'foundryConfig.mjs'), '--dev', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const said = (typeof stderr === 'string' ? stderr : '').trim().replace(/^foundry:config: /, '');
    throw new SettingsError('config_unreadable', `${said || 'no dev connection'}\n(or point the example at a deployment: --config, see --help)`);
  }
  let caCertPath: unknown;
  try {
    ({ caCertPath } = JSON.parse(readFileSync(join(root, DEV_CONNECTION_FILE), 'utf8')) as { caCertPath?: unknown });
  } catch {
    caCertPath = undefined;
  }
  if (typeof caCertPath !== 'string') throw new SettingsError('config_unreadable', 'the running npm start wrote no certificate path; start it again');
  return { ...fromPrintedConfig(printed), clientId: DEV_PUBLIC_CLIENT_ID, caCertPath };
}

/**
 * Node reads NODE_EXTRA_CA_CERTS only when it starts: runs this program again with it set, and resolves to
 * the exit code of that run.
 */
export function relaunchTrusting(caCertPath: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath } });
    process.on('SIGINT', () => child.kill('SIGINT'));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
