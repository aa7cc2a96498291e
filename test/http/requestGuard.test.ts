// The DNS-rebinding guard compares whole origins (scheme, host, port), and serialises extension origins whole.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { HttpError } from '../../shared/http/httpError.js';
import { serializeOrigin } from '../../shared/http/origin.js';
import { guardRequest, type RequestGuardOptions } from '../../shared/http/requestGuard.js';

const PUBLIC: RequestGuardOptions = { publicUrl: new URL('https://mcp.example.com'), allowedOrigins: [] };
const LOCAL: RequestGuardOptions = { publicUrl: undefined, allowedOrigins: [] };

function outcome(options: RequestGuardOptions, headers: Record<string, string>): string {
  try {
    guardRequest(new Request('http://localhost/mcp', { method: 'POST', headers }), options);
    return 'allowed';
  } catch (error) {
    if (error instanceof HttpError) return error.code;
    throw error;
  }
}

/** Allowed origins exactly as MCP_ALLOWED_ORIGINS would configure them. */
function listed(origins: string, publicUrl?: string): RequestGuardOptions {
  const config = parseConfig({ MCP_DEV_MODE: '1', MCP_ALLOWED_ORIGINS: origins, ...(publicUrl !== undefined && { MCP_PUBLIC_URL: publicUrl }) });
  return { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins };
}

describe('with a public URL, an Origin must be that URL\'s origin or listed', () => {
  const host = { host: 'mcp.example.com' };

  it('admits the public origin itself', () => {
    expect(outcome(PUBLIC, { ...host, origin: 'https://mcp.example.com' })).toBe('allowed');
  });

  it.each([
    ['another scheme', 'http://mcp.example.com'],
    ['another port', 'https://mcp.example.com:8443'],
    ['another scheme and port', 'http://mcp.example.com:8080'],
    ['a websocket scheme', 'wss://mcp.example.com'],
    ['an extension whose id is the host name', 'chrome-extension://mcp.example.com'],
    ['the opaque origin', 'null'],
  ])('refuses %s on the same host name', (_label, origin) => {
    expect(outcome(PUBLIC, { ...host, origin })).toBe('origin_not_allowed');
  });
});

describe('locally, loopback origins on http or https and any port are ours', () => {
  it.each([
    'http://localhost:6274', 'https://localhost:5173', 'http://127.0.0.1', 'https://127.0.0.1:8443', 'http://[::1]:3000',
  ])('admits %s', (origin) => {
    expect(outcome(LOCAL, { host: 'localhost:7071', origin })).toBe('allowed');
  });

  it.each([
    'ws://localhost:6274', 'chrome-extension://localhost', 'vscode-webview://localhost', 'http://localhost.evil.example', 'null', 'file://',
  ])('refuses %s', (origin) => {
    expect(outcome(LOCAL, { host: 'localhost:7071', origin })).toBe('origin_not_allowed');
  });
});

describe('listed origins are compared by their full serialisation', () => {
  const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

  it('a listed extension admits itself, and no other extension or custom scheme', () => {
    const options = listed(EXTENSION);
    expect(outcome(options, { host: 'localhost', origin: EXTENSION })).toBe('allowed');
    expect(outcome(options, { host: 'localhost', origin: 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba' })).toBe('origin_not_allowed');
    expect(outcome(options, { host: 'localhost', origin: 'moz-extension://abcdefghijklmnopabcdefghijklmnop' })).toBe('origin_not_allowed');
    expect(outcome(options, { host: 'localhost', origin: 'vscode-webview://anything' })).toBe('origin_not_allowed');
    expect(outcome(options, { host: 'localhost', origin: 'null' })).toBe('origin_not_allowed');
  });

  it('a listed web origin admits itself only, not its other schemes or ports', () => {
    const options = listed('https://agents.example.com', 'https://mcp.example.com');
    expect(outcome(options, { host: 'mcp.example.com', origin: 'https://agents.example.com' })).toBe('allowed');
    expect(outcome(options, { host: 'mcp.example.com', origin: 'http://agents.example.com' })).toBe('origin_not_allowed');
    expect(outcome(options, { host: 'mcp.example.com', origin: 'https://agents.example.com:444' })).toBe('origin_not_allowed');
  });

  it('an Origin: null never matches, whatever is listed', () => {
    expect(serializeOrigin('null')).toBeUndefined();
    expect(outcome(listed('https://agents.example.com, chrome-extension://abc'), { host: 'localhost', origin: 'null' })).toBe('origin_not_allowed');
  });
});

describe('the Host header', () => {
  it.each([
    'localhost@evil.example', 'evil.example@localhost', 'localhost/evil', 'localhost:7071?x', 'local host', '', 'localhost:7071:1',
  ])('%j is not a host name: 400 host_invalid', (host) => {
    expect(outcome(LOCAL, { host })).toBe('host_invalid');
  });

  it.each(['localhost', 'LOCALHOST:7071', '127.0.0.1:1', '[::1]:7071'])('%s is served locally', (host) => {
    expect(outcome(LOCAL, { host })).toBe('allowed');
  });
});
