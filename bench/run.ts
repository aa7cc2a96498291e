// `npm run bench`: makes the run's TLS certificate, runs bench.ts in a process that trusts it, and cleans up after.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTlsFiles } from '../sandbox/tls.js';

const here = dirname(fileURLToPath(import.meta.url));
const tls = await createTlsFiles();

// NODE_EXTRA_CA_CERTS is read once at start, and the local Graph (in the bench process) fetches the identity provider's JWKS.
const bench = fork(join(here, 'bench.js'), process.argv.slice(2), {
  env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath, BENCH_TLS_CERT: tls.certPath, BENCH_TLS_KEY: tls.keyPath },
  stdio: 'inherit',
});
const forward = (signal: NodeJS.Signals) => bench.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
bench.on('exit', (code, signal) => {
  rmSync(dirname(tls.certPath), { recursive: true, force: true });
  process.exit(code ?? (signal === null ? 1 : 130));
});
