// What an identity provider endpoint answers, built without touching the socket, and how it is written.
import type { ServerResponse } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string;
}

// Pages hold flow ids and the token endpoint holds tokens: nothing here may be cached, framed or sniffed.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // No script at all: the pages work with JavaScript off. form-action is left open because Chromium
  // applies it to the redirect that follows a form post, which goes to the client's redirect URI.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache', ...headers }, body: JSON.stringify(body) };
}

export function html(status: number, body: string, headers: Record<string, string | readonly string[]> = {}): Answer {
  return { status, headers: { ...PAGE_HEADERS, ...headers }, body };
}

export function redirect(location: string, headers: Record<string, string | readonly string[]> = {}): Answer {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers }, body: '' };
}

export function writeAnswer(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, answer.headers as Record<string, string | string[]>);
  response.end(answer.body);
}
