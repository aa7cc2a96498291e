// Two `npm start`s in one checkout: the second never overwrites nor deletes the dev connection file of the first.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDevConnection, devConnection, removeDevConnection, writeDevConnection } from '../../sandbox/devConnection.js';

let dir: string;
let other: ChildProcess;

/** A connection as `npm start` process `pid` would write it. */
function connectionOf(pid: number, port: number) {
  return devConnection({
    mcpUrl: `http://localhost:${port}/mcp`, authorityHost: 'https://localhost:7072', serverClientId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    foundryClientId: 'a3f5c1e2-7b4d-4c6e-9f80-1b2c3d4e5f60', foundryClientSecret: 'dev~secret-of-the-first-start', foundryRedirectUris: [], caCertPath: '/tmp/ca.pem', pid,
  });
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-connection-'));
  // Stands for the second `npm start`: a running process that is not this one.
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)']);
});

afterAll(async () => {
  other.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('the dev connection file', () => {
  it('stays the first npm start\'s while it runs: the second neither overwrites nor deletes it', async () => {
    const file = join(dir, 'held.json');
    expect(claimDevConnection(file, connectionOf(process.pid, 7071))).toEqual({ written: true });
    const first = await readFile(file, 'utf8');

    const second = connectionOf(other.pid ?? 0, 40001);
    expect(claimDevConnection(file, second)).toEqual({ written: false, heldBy: process.pid });
    expect(await readFile(file, 'utf8')).toBe(first);

    // The second stops: its removal leaves the first one's file alone.
    removeDevConnection(file, other.pid);
    expect(await readFile(file, 'utf8')).toBe(first);
  });

  it('is replaced when the npm start that wrote it has stopped', async () => {
    const file = join(dir, 'stale.json');
    writeDevConnection(file, connectionOf(await deadPid(), 7071));
    expect(claimDevConnection(file, connectionOf(other.pid ?? 0, 40001))).toEqual({ written: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: other.pid, values: { MCP_URL: 'http://localhost:40001/mcp' } });
  });

  it('is replaced when it is not a connection file at all', async () => {
    const file = join(dir, 'garbage.json');
    writeFileSync(file, 'not json');
    expect(claimDevConnection(file, connectionOf(process.pid, 7071))).toEqual({ written: true });
  });
});
