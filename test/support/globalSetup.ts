// Once per test run: a localhost certificate every worker trusts, and Azurite's Table service, shared by all projects.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAzuriteTables } from '../../sandbox/azurite.js';
import { extraCaBundle } from '../../sandbox/caBundle.js';
import { createTlsFiles, type TlsFiles } from '../../sandbox/tls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tlsCertPath: string;
    tlsKeyPath: string;
    tablesConnectionString: string;
    /** The protocol era the project's clients speak: `modern` (2026-07-28) or `legacy` (2025-11-25). */
    era: 'modern' | 'legacy';
  }
}

interface Shared {
  readonly tls: TlsFiles;
  readonly azurite: Awaited<ReturnType<typeof startAzuriteTables>>;
}

// Every project's setup runs in this one process, each with its own copy of this module; they must share
// one certificate, since NODE_EXTRA_CA_CERTS is a single variable every forked worker inherits.
const state = globalThis as typeof globalThis & { onbehalfTestSetup?: { shared: Promise<Shared>; users: number } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  state.onbehalfTestSetup ??= {
    users: 0,
    shared: (async () => {
      const tls = await createTlsFiles();
      // Added to the user's own extra CAs, not in their place: a child process that reaches the npm registry
      // through a proxy (the browser tests' install of MCP Inspector) still needs that proxy's CA.
      process.env['NODE_EXTRA_CA_CERTS'] = extraCaBundle(process.env['NODE_EXTRA_CA_CERTS'], tls.certPath, dirname(tls.certPath)).path;
      return { tls, azurite: await startAzuriteTables(0) };
    })(),
  };
  const run = state.onbehalfTestSetup;
  run.users++;
  const { tls, azurite } = await run.shared;
  project.provide('tlsCertPath', tls.certPath);
  project.provide('tlsKeyPath', tls.keyPath);
  project.provide('tablesConnectionString', azurite.connectionString);
  project.provide('era', project.name === 'modern' ? 'modern' : 'legacy');
  return async () => {
    if (--run.users > 0) return;
    delete state.onbehalfTestSetup;
    await azurite.close();
    rmSync(dirname(tls.certPath), { recursive: true, force: true });
  };
}
