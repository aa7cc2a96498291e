// Once per test run: a localhost certificate every worker trusts, and Azurite's Table service.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAzuriteTables } from './azurite.js';
import { createTlsFiles } from './tls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tlsCertPath: string;
    tlsKeyPath: string;
    tablesConnectionString: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tls = await createTlsFiles();
  // Workers are forked after this runs, so they start with the certificate trusted.
  process.env['NODE_EXTRA_CA_CERTS'] = tls.certPath;
  const azurite = await startAzuriteTables(0);
  project.provide('tlsCertPath', tls.certPath);
  project.provide('tlsKeyPath', tls.keyPath);
  project.provide('tablesConnectionString', azurite.connectionString);
  return async () => {
    await azurite.close();
    rmSync(dirname(tls.certPath), { recursive: true, force: true });
  };
}
