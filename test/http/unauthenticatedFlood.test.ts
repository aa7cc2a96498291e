// Floods of refused callers: bounded, cleaned log lines; past a per-address budget refusals are 429 while valid callers are served; aborted uploads are no error.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../shared/http/httpError.js';
import { createRefusalBudget } from '../../shared/http/refusalBudget.js';
import { createLogThrottle } from '../../shared/log/logThrottle.js';
import { createRedactingLogger, type LogFields, type Logger } from '../../shared/log/logger.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startLocalHost } from '../../sandbox/localHost.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { rawRequest, type RpcErrorBody } from './rawRequest.js';

interface Line {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A logger as the hosts build one (redacting), recording every line. */
function recordingLog(): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = (level: Line['level']) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return { log: createRedactingLogger({ info: sink('info'), warn: sink('warn'), error: sink('error') }), lines };
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT-shaped token that will never verify, carrying whatever claims an attacker likes. */
const forged = (claims: Record<string, unknown>): string => `${base64url({ alg: 'RS256', kid: 'forged' })}.${base64url(claims)}.c2ln`;

const post = (token: string | undefined, headers: Record<string, string> = {}, body: BodyInit = JSON.stringify(INITIALIZE)): Request =>
  new Request('http://localhost/mcp', { method: 'POST', headers: { host: 'localhost', ...mcpHeaders(token, headers) }, body, duplex: 'half' } as RequestInit);

async function codeOf(response: Response): Promise<string | undefined> {
  return ((await response.json()) as RpcErrorBody).error.data?.code;
}

let time = 1_700_000_000_000;
const clock = (): number => time;

describe('what refusals log', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ app: { now: clock, refusalsPerMinute: 0 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('an 11 KB tid with control characters is logged cut to 64 characters and cleaned', async () => {
    const { log, lines } = recordingLog();
    const tid = `${'A'.repeat(11_000)}\r\n{"level":"error","message":"forged"}\u001b[31m`;
    const response = await stack.app.mcp(post(forged({ tid, jti: 'x' })), log);
    expect(response.status).toBe(401);
    const refused = lines.find((line) => line.message === 'caller refused');
    const tenant = String(refused?.fields?.['tenant']);
    expect(tenant.startsWith('A'.repeat(64))).toBe(true);
    expect(tenant.length).toBeLessThan(64 + 20);
    for (const line of lines) expect(JSON.stringify(line)).not.toMatch(/\\r|\\n|\\u001b/);
  });

  it('a flood of refusals writes a bounded number of lines, then one summary counting the rest', async () => {
    const { log, lines } = recordingLog();
    const token = forged({ tid: 'x' });
    for (let i = 0; i < 1000; i += 1) expect((await stack.app.mcp(post(token), log)).status).toBe(401);
    const refusedLines = lines.filter((line) => line.message === 'caller refused');
    expect(refusedLines.length).toBeLessThanOrEqual(20);
    expect(refusedLines.length).toBeGreaterThan(0);

    // Another code still gets its line: one flood does not silence every refusal.
    const expired = await stack.idp.accessToken(ADELE, { exp: Math.floor(Date.now() / 1000) - 3600 });
    await stack.app.mcp(post(expired), log);
    expect(lines.filter((line) => line.fields?.['code'] === 'token_expired')).toHaveLength(1);

    time += 60_000;
    await stack.app.mcp(post(token), log);
    const summary = lines.find((line) => line.message === 'log lines suppressed');
    // A well-formed JWT signed by no key Entra published: key_unknown, every one of them.
    expect(summary?.fields).toMatchObject({ kind: 'key_unknown', suppressed: 1000 - refusedLines.length });
  });
});

describe('an aborted upload', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ app: { refusalsPerMinute: 0 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a body stream that breaks off: request_aborted, logged as a refusal, never at error level', async () => {
    const { log, lines } = recordingLog();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0",'));
        controller.error(new Error('aborted'));
      },
    });
    const token = await stack.idp.accessToken(ADELE);
    const response = await stack.app.mcp(post(token, {}, body), log);
    expect(await codeOf(response)).toBe('request_aborted');
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', fields: expect.objectContaining({ code: 'request_aborted' }) as unknown }));
  });

  it('a client that hangs up mid-body on the local host: an info line, no error line', async () => {
    const { log, lines } = recordingLog();
    let received!: () => void;
    const handlerReached = new Promise<void>((resolve) => {
      received = resolve;
    });
    const host = await startLocalHost({ ...stack.app, mcp: (request, requestLog) => {
      received();
      return stack.app.mcp(request, requestLog);
    } }, { log });
    try {
      const token = await stack.idp.accessToken(ADELE);
      const socket = connect(host.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write([
        'POST /mcp HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Accept: application/json, text/event-stream',
        `Authorization: Bearer ${token}`, 'Content-Length: 100000', '', '{"jsonrpc":"2.0",',
      ].join('\r\n'));
      // Hang up once the request is in the app's hands, its body still mostly unsent.
      await handlerReached;
      socket.destroy();
      await vi.waitFor(() => expect(lines.some((line) => line.fields?.['code'] === 'request_aborted')).toBe(true), { timeout: 10_000 });
      expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    } finally {
      await host.close();
    }
  });
});

describe('the refused-request budget per client address', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack({ app: { now: clock, refusalsPerMinute: 3 } });
    token = await stack.idp.accessToken(ADELE);
  });
  afterAll(async () => {
    await stack.close();
  });

  const { log } = recordingLog();
  const from = (forwardedFor: string, bearer: string | undefined) => stack.app.mcp(post(bearer, { 'x-forwarded-for': forwardedFor }), log);

  it('past its budget an address\'s refusals get 429 too_many_refusals with Retry-After until the window ends', async () => {
    for (let i = 0; i < 3; i += 1) expect((await from(`10.9.9.${i}, 203.0.113.5:5000${i}`, 'garbage')).status).toBe(401);
    const blocked = await from('192.0.2.77, 203.0.113.5:40000', 'garbage');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await codeOf(blocked)).toBe('too_many_refusals');

    expect((await from('203.0.113.6:1', 'garbage')).status).toBe(401);
    time += 61_000;
    expect((await from('203.0.113.5:1', 'garbage')).status).toBe(401);
  });

  it('a caller with a valid token is served from an address flooded past its budget; a bad token there gets 429', async () => {
    const { log: quiet, lines } = recordingLog();
    const flood = (bearer: string | undefined) => stack.app.mcp(post(bearer, { 'x-forwarded-for': '203.0.113.9:1' }), quiet);
    for (let i = 0; i < 100; i += 1) expect((await flood(`garbage${i}`)).status).toBe(i < 3 ? 401 : 429);
    expect((await flood(token)).status).toBe(200);
    const other = await flood(forged({ tid: 'x' }));
    expect(other.status).toBe(429);
    expect(await codeOf(other)).toBe('too_many_refusals');
    // A missing token is still answered with its challenge: it is how the users behind that address sign in.
    const signIn = await flood(undefined);
    expect(signIn.status).toBe(401);
    expect(signIn.headers.get('www-authenticate')).toMatch(/^Bearer /);
    // The refusals past the budget are not logged one by one.
    expect(lines.filter((line) => line.fields?.['code'] === 'too_many_refusals').length).toBeLessThanOrEqual(20);
  });

  it('a genuinely signed token that is expired (or refused for its claims) still gets its 401 challenge from a flooded address, so its client refreshes', async () => {
    const flood = (bearer: string | undefined) => stack.app.mcp(post(bearer, { 'x-forwarded-for': '203.0.113.44:1' }), log);
    for (let i = 0; i < 10; i += 1) expect((await flood(`garbage${i}`)).status).toBe(i < 3 ? 401 : 429);
    const expired = await stack.idp.accessToken(ADELE, { exp: Math.floor(Date.now() / 1000) - 3600 });
    for (const bearer of [expired, await stack.idp.accessToken(ADELE, { aud: 'api://someone-else' })]) {
      const answer = await flood(bearer);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    }
    // Forged and malformed tokens from that address are still told to stop.
    expect((await flood(forged({ tid: 'x' }))).status).toBe(429);
  });

  it('genuinely signed refusals do not spend an address\'s budget: only forged and malformed tokens do', async () => {
    const from44 = (bearer: string | undefined) => stack.app.mcp(post(bearer, { 'x-forwarded-for': '203.0.113.45:1' }), log);
    const expired = await stack.idp.accessToken(ADELE, { exp: Math.floor(Date.now() / 1000) - 3600 });
    for (let i = 0; i < 20; i += 1) expect((await from44(expired)).status).toBe(401);
    expect((await from44('garbage')).status).toBe(401);
  });

  it('an IPv6 client counts by its /64', async () => {
    for (let i = 1; i <= 3; i += 1) expect((await from(`[2001:db8:7:7::${i}]:443`, 'garbage')).status).toBe(401);
    expect((await from('2001:db8:7:7:ffff::9', 'garbage')).status).toBe(429);
    expect((await from('2001:db8:7:7:ffff::9', token)).status).toBe(200);
    expect((await from('[2001:db8:7:8::1]:443', 'garbage')).status).toBe(401);
  });

  it('requests without a token (how every sign-in starts) do not spend the budget', async () => {
    for (let i = 0; i < 20; i += 1) expect((await from('198.51.100.1', undefined)).status).toBe(401);
    expect((await from('198.51.100.1', 'garbage')).status).toBe(401);
  });

  it('over real HTTP, a client cannot escape by writing its own X-Forwarded-For', async () => {
    const spoof = (i: number) => rawRequest(stack.host.port, {
      method: 'POST', headers: mcpHeaders('garbage', { 'x-forwarded-for': `198.18.0.${i}` }), body: JSON.stringify(INITIALIZE),
    });
    for (let i = 0; i < 3; i += 1) expect((await spoof(i)).status).toBe(401);
    const answer = await spoof(99);
    expect(answer.status).toBe(429);
    expect((JSON.parse(answer.text) as RpcErrorBody).error.data?.code).toBe('too_many_refusals');
  });

  it('remembers a bounded number of addresses, forgetting the oldest first', () => {
    const budget = createRefusalBudget({ perMinute: 1, maxAddresses: 100, now: clock });
    const request = (address: string) => new Request('http://localhost/mcp', { headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 1000; i += 1) budget.record(request(`10.0.${Math.floor(i / 250)}.${i % 250}`));
    expect(budget.record(request('10.0.0.0'))).toBeUndefined();
    expect(budget.record(request('10.0.3.249'))).toBeInstanceOf(HttpError);
  });
});

it('the log throttle is per app instance: a new instance starts with a full bucket', () => {
  const { log } = recordingLog();
  const first = createLogThrottle({ burst: 1, now: clock });
  expect(first.admit('token_malformed', log)).toBe(true);
  expect(first.admit('token_malformed', log)).toBe(false);
  expect(createLogThrottle({ burst: 1, now: clock }).admit('token_malformed', log)).toBe(true);
});
