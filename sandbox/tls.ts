// A TLS certificate for localhost, generated per run and trusted through NODE_EXTRA_CA_CERTS.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

/** Writes a fresh self-signed certificate for localhost / 127.0.0.1 / ::1 to a temp folder. */
export async function createTlsFiles(dir: string = mkdtempSync(join(tmpdir(), 'onbehalf-tls-'))): Promise<TlsFiles> {
  // A subject of its own per run: trust stores find a self-signed certificate by subject, so a bundle holding
  // another `CN=localhost` (an earlier run's, say) must not shadow this one. Host names are checked against the SAN.
  const pems = await selfsigned.generate([{ name: 'commonName', value: `onbehalf dev ${randomUUID()}` }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  const certPath = join(dir, 'localhost.crt');
  const keyPath = join(dir, 'localhost.key');
  writeFileSync(certPath, pems.cert);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  return { certPath, keyPath };
}

export function readTls(files: TlsFiles): TlsMaterial {
  return { cert: readFileSync(files.certPath, 'utf8'), key: readFileSync(files.keyPath, 'utf8') };
}
