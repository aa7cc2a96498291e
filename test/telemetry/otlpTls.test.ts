// OTLP over mutual TLS: the client certificate and key named by OTEL_EXPORTER_OTLP_CLIENT_* reach a collector that
// demands them, read by the server from the paths its settings give, not by the exporter from the environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readTls } from '../../sandbox/tls.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { startTelemetry } from '../../shared/telemetry/start/startTelemetry.js';
import { simulateListEvents } from './simulatedRequest.js';

let collector: Server;
let endpoint: string;
let certPath: string;
let keyPath: string;
const paths: string[] = [];

beforeAll(async () => {
  const client = await selfsigned.generate([{ name: 'commonName', value: 'otlp client' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', digitalSignature: true, keyCertSign: true }, { name: 'extKeyUsage', clientAuth: true }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'onbehalf-otlp-tls-'));
  certPath = join(dir, 'client.crt');
  keyPath = join(dir, 'client.key');
  writeFileSync(certPath, client.cert);
  writeFileSync(keyPath, client.private, { mode: 0o600 });
  const server = readTls({ certPath: inject('tlsCertPath'), keyPath: inject('tlsKeyPath') });
  collector = createServer({ ...server, requestCert: true, rejectUnauthorized: true, ca: [client.cert] }, (request, response) => {
    request.resume();
    request.on('end', () => {
      paths.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
});

async function exportOnce(env: Record<string, string>): Promise<{ failure: Error | undefined }> {
  paths.length = 0;
  const settings = parseConfig({ MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', ...env }).telemetry;
  const handle = await startTelemetry(settings, '9.9.9');
  await simulateListEvents();
  await handle.flush().catch(() => undefined);
  await handle.shutdown().catch(() => undefined);
  return { failure: handle.failure };
}

describe('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY', () => {
  it('present the client certificate: a collector that demands one receives the export', async () => {
    const { failure } = await exportOnce({ OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certPath, OTEL_EXPORTER_OTLP_CLIENT_KEY: keyPath });
    expect(failure).toBeUndefined();
    expect(paths).toContain('/v1/traces');
  });

  it('unset, nothing gets through to that collector (what the test above proves is the certificate\'s doing)', async () => {
    await exportOnce({});
    expect(paths).toEqual([]);
  });

  it('a file that cannot be read leaves telemetry off, with the reason to log', async () => {
    const { failure } = await exportOnce({ OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(tmpdir(), 'no-such-client.crt'), OTEL_EXPORTER_OTLP_CLIENT_KEY: keyPath });
    expect(failure?.message).toMatch(/ENOENT/);
    expect(paths).toEqual([]);
  });
});
