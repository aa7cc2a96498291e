// CORS for browser clients: preflights and answers carry it only for origins the rebinding guard admits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { rawRequest } from './rawRequest.js';

let stack: TestStack;
let token: string;
const BROWSER = 'http://localhost:6274';
const LISTED = 'https://agents.example.com';

beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_ALLOWED_ORIGINS: LISTED } });
  token = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  await stack.close();
});

const preflight = (url: string, origin: string, method = 'POST') => fetch(url, {
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' },
});

/** The request headers an answer's Access-Control-Allow-Headers lets a page send. */
const allowedHeaders = (response: Response): string[] => (response.headers.get('access-control-allow-headers') ?? '').split(',').map((name) => name.trim().toLowerCase());
/** The answer headers its Access-Control-Expose-Headers lets a page read. */
const exposedHeaders = (response: Response): string[] => (response.headers.get('access-control-expose-headers') ?? '').split(',').map((name) => name.trim().toLowerCase());

// Every header an MCP client sends, 2025 revisions and 2026-07-28 (Mcp-Method, Mcp-Name) alike.
const MCP_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id', 'mcp-method', 'mcp-name'];
// Every path a client reads metadata from, and those it probes that are not there.
const METADATA_PATHS = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource/tenants/7d0c1a4e-6b1f-4c55-9d3a-1a2b3c4d5e6f/mcp'];
const ABSENT_METADATA_PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/mcp', '/.well-known/openid-configuration', '/.well-known/openid-configuration/mcp', '/.well-known/oauth-protected-resource/elsewhere'];

describe('preflight', () => {
  it.each([BROWSER, LISTED])('admits %s with the methods and headers an MCP client sends', async (origin) => {
    const response = await preflight(stack.mcpUrl, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');
    // The routing headers of MCP 2026-07-28.
    expect(response.headers.get('access-control-allow-headers')).toContain('mcp-method');
    expect(response.headers.get('access-control-allow-headers')).toContain('mcp-name');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it.each(['/mcp', '/tenants/7d0c1a4e-6b1f-4c55-9d3a-1a2b3c4d5e6f/mcp'])('lets a page send every MCP header to %s', async (path) => {
    const response = await preflight(`${stack.host.url}${path}`, BROWSER);
    expect(response.status).toBe(204);
    expect(allowedHeaders(response)).toEqual(expect.arrayContaining(MCP_REQUEST_HEADERS));
  });

  it.each([...METADATA_PATHS, ...ABSENT_METADATA_PATHS])('answers the preflight of %s, with the MCP-Protocol-Version header discovery sends', async (path) => {
    const response = await preflight(`${stack.host.url}${path}`, BROWSER, 'GET');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(BROWSER);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET');
    expect(allowedHeaders(response)).toContain('mcp-protocol-version');
  });

  it('refuses an origin that is neither ours nor listed, and grants it nothing', async () => {
    const response = await preflight(stack.mcpUrl, 'https://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await response.json()) as { error: { data: { code: string } } }).error.data.code).toBe('origin_not_allowed');
  });

  it.each(['chrome-extension://localhost', 'ws://localhost:6274', 'http://agents.example.com', 'https://agents.example.com:8443'])(
    'grants nothing to %s: same host name as an admitted origin, another scheme or port', async (origin) => {
      const response = await preflight(stack.mcpUrl, origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('answers an OPTIONS without Origin with 405, since it is not a preflight', async () => {
    const response = await fetch(stack.mcpUrl, { method: 'OPTIONS' });
    expect(response.status).toBe(405);
  });

  it('covers the protected resource metadata too', async () => {
    const url = `${new URL(stack.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`;
    const response = await preflight(url, BROWSER);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET');
    const metadata = await fetch(url, { headers: { origin: BROWSER } });
    expect(metadata.headers.get('access-control-allow-origin')).toBe(BROWSER);
  });
});

describe('answers', () => {
  it.each(METADATA_PATHS)('let a page read the metadata at %s', async (path) => {
    const response = await fetch(`${stack.host.url}${path}`, { headers: { origin: BROWSER, 'mcp-protocol-version': '2025-11-25' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(BROWSER);
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it.each(ABSENT_METADATA_PATHS)('let a page read the 404 of %s, so its discovery moves on', async (path) => {
    const response = await fetch(`${stack.host.url}${path}`, { headers: { origin: BROWSER } });
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe(BROWSER);
  });

  it('grant nothing on metadata paths to an origin the guard refuses', async () => {
    for (const path of [...METADATA_PATHS, ...ABSENT_METADATA_PATHS]) {
      const response = await fetch(`${stack.host.url}${path}`, { headers: { origin: 'https://evil.example' } });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('expose what a page must read: the session id, the challenge, the protocol version and the budgets', async () => {
    const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { origin: BROWSER }), body: JSON.stringify(INITIALIZE) });
    expect(exposedHeaders(response)).not.toContain('mcp-session-id');
    expect(exposedHeaders(response)).toEqual(expect.arrayContaining(['www-authenticate', 'mcp-protocol-version', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']));
  });

  it('let a browser read the result and the budgets', async () => {
    const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { origin: BROWSER }), body: JSON.stringify(INITIALIZE) });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(BROWSER);
    expect(response.headers.get('access-control-expose-headers')).toContain('ratelimit-remaining');
  });

  it('let a browser read the challenge that starts sign-in', async () => {
    const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(undefined, { origin: BROWSER }), body: JSON.stringify(INITIALIZE) });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(BROWSER);
    expect(response.headers.get('access-control-expose-headers')).toContain('www-authenticate');
  });

  it('carry no CORS headers for clients that send no Origin', async () => {
    const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token), body: JSON.stringify(INITIALIZE) });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('with MCP_PUBLIC_URL=https://mcp.example.com', () => {
  let publicStack: TestStack;
  beforeAll(async () => {
    publicStack = await startTestStack({ env: { MCP_PUBLIC_URL: 'https://mcp.example.com' } });
  });
  afterAll(async () => {
    await publicStack.close();
  });

  const preflightTo = (origin: string) => rawRequest(publicStack.host.port, {
    method: 'OPTIONS',
    headers: { host: 'mcp.example.com', origin, 'access-control-request-method': 'POST' },
  });

  it('grants CORS to the public URL\'s own origin', async () => {
    const answer = await preflightTo('https://mcp.example.com');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://mcp.example.com');
  });

  it.each(['http://mcp.example.com', 'https://mcp.example.com:8443'])('grants nothing to %s, the public host on another scheme or port', async (origin) => {
    const answer = await preflightTo(origin);
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});
