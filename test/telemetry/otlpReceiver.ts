// A stand-in for an OpenTelemetry collector on loopback: accepts every OTLP/HTTP export and keeps it for tests to read.
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpPost {
  readonly path: string;
  readonly contentType: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** OTLP/JSON: what the spec calls AnyValue and KeyValue lists, reduced to what the assertions read. */
export interface KeyValue {
  readonly key: string;
  readonly value: { readonly stringValue?: string; readonly intValue?: number | string; readonly boolValue?: boolean };
}

export interface JsonSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: KeyValue[];
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  readonly endpoint: string;
  readonly posts: OtlpPost[];
  /** Every span of every OTLP/JSON trace export received so far. */
  spans(): JsonSpan[];
  close(): Promise<void>;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An attribute list as a plain object. */
export function attributes(list: readonly KeyValue[]): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.boolValue)]));
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const posts: OtlpPost[] = [];
  const server = createServer((request, response) => {
    void readAll(request).then((body) => {
      posts.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', headers: request.headers, body });
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
      response.end(request.headers['content-type']?.includes('json') === true ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  type Traces = { resourceSpans: { scopeSpans: { spans: JsonSpan[] }[] }[] };
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    spans: () => posts
      .filter((post) => post.path === '/v1/traces' && post.contentType.includes('json'))
      .flatMap((post) => (JSON.parse(post.body.toString('utf8')) as Traces).resourceSpans)
      .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
