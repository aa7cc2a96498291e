// A local OpenTelemetry collector stand-in for the bench: accepts every OTLP/HTTP export, counts it, and discards it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  readonly endpoint: string;
  /** Exports received so far, by path (`/v1/traces`, `/v1/metrics`, `/v1/logs`). */
  readonly exports: Map<string, number>;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const exports = new Map<string, number>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const path = request.url ?? '';
      exports.set(path, (exports.get(path) ?? 0) + 1);
      // An empty protobuf ExportServiceResponse: everything accepted.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
