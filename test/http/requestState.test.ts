// The requestState of a multi-round call, as an attacker would send it back: tampered, expired, replayed, another
// user's or client app's, or for other arguments. Each is refused with JSON-RPC -32602 before the tool runs, Graph
// never hears of the call, and the refusal of a write tool leaves an audit row naming which check failed.
import { createRequestStateCodec } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADELE, ALEX } from '../../sandbox/sampleUsers.js';
import { DEV_REQUEST_STATE_KEY } from '../../shared/config/devDefaults.js';
import { mcpHeaders } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const VERSION = '2026-07-28';
const CAPABILITIES = { elicitation: { form: {} } };
const MAIL = { to: ['ops@contoso.com'], subject: 'Transfer', body: 'Please wire it today.' };

interface Answer {
  readonly result?: { resultType?: string; requestState?: string; inputRequests?: Record<string, unknown>; isError?: boolean; _meta?: Record<string, unknown> };
  readonly error?: { code: number; message: string; data?: Record<string, unknown> };
}

let stack: TestStack;
let adele: string;
beforeAll(async () => {
  stack = await startTestStack();
  adele = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.graph.requests.length = 0;
});

let nextId = 1;
/** One 2026-07-28 tools/call round by hand, as a client would send it: `extra` carries inputResponses and requestState. */
async function call(token: string, name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Answer> {
  const body = { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args, ...extra, _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': CAPABILITIES } } };
  const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': name }), body: JSON.stringify(body) });
  return await response.json() as Answer;
}

/** The first round of send_mail: the confirmation asked, and the state that must come back with the answer. */
async function firstRound(token = adele, args: Record<string, unknown> = MAIL): Promise<string> {
  const answer = await call(token, 'send_mail', args);
  expect(answer.result?.resultType).toBe('input_required');
  expect(Object.keys(answer.result?.inputRequests ?? {})).toEqual(['confirm']);
  return answer.result?.requestState ?? '';
}

const accept = (requestState: string) => ({ inputResponses: { confirm: { action: 'accept' } }, requestState });
const sends = () => stack.graph.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/me/sendMail'));

async function refusalRows(code: string): Promise<Record<string, unknown>[]> {
  return (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['tool'] === 'send_mail' && row['errorCode'] === code);
}

function expectRefused(answer: Answer): void {
  expect(answer.result).toBeUndefined();
  expect(answer.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState', data: { reason: 'invalid_request_state' } });
}

describe('a state as it was sealed', () => {
  it('with the answer accept, runs the call once', async () => {
    const state = await firstRound();
    expect(sends()).toHaveLength(0);
    const answer = await call(adele, 'send_mail', MAIL, accept(state));
    expect(answer.result?.isError).toBeFalsy();
    expect(sends()).toHaveLength(1);
  });

  it('says nothing of the caller or the call to whoever reads it (it is signed, not encrypted)', async () => {
    const state = await firstRound();
    const body = Buffer.from(state.split('.')[1] ?? '', 'base64url').toString('utf8');
    for (const secret of [ADELE.oid, ADELE.tid, 'ops@contoso.com', 'send_mail']) expect(body).not.toContain(secret);
  });
});

describe('malformed rounds', () => {
  it.each([
    ['answers that are null', { inputResponses: null }],
    ['an answer that is a number', { inputResponses: { confirm: 12345 } }],
    ['a state that is not a string', { requestState: { confirmed: true } }],
  ])('%s: -32602, and nothing runs', async (_label, extra) => {
    const answer = await call(adele, 'send_mail', MAIL, extra);
    expect(answer.error).toMatchObject({ code: -32602, data: { code: 'input_invalid' } });
    expect(stack.graph.requests).toHaveLength(0);
  });
});

describe('refused states', () => {
  it('an answer without the state is no answer: the person is asked again', async () => {
    const answer = await call(adele, 'send_mail', MAIL, { inputResponses: { confirm: { action: 'accept' } } });
    expect(answer.result?.resultType).toBe('input_required');
    expect(sends()).toHaveLength(0);
  });

  it('tampered: refused, and audited', async () => {
    const state = await firstRound();
    const [prefix, body, mac] = state.split('.');
    const forged = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as { p: { confirmed: boolean } };
    forged.p.confirmed = true;
    const tampered = `${prefix}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`;
    expectRefused(await call(adele, 'send_mail', MAIL, accept(tampered)));
    expectRefused(await call(adele, 'send_mail', MAIL, accept(`${state}-TAMPERED`)));
    expect(sends()).toHaveLength(0);
    expect(await refusalRows('state_invalid')).toHaveLength(2);
  });

  it('sealed with a key this server does not hold: refused', async () => {
    const other = createRequestStateCodec({ key: 'another-deployment-key-of-at-least-32-bytes' });
    expectRefused(await call(adele, 'send_mail', MAIL, accept(await other.mint({ id: 'A'.repeat(22), confirmed: true }))));
    expect(sends()).toHaveLength(0);
  });

  it('expired: refused, and audited', async () => {
    const state = await firstRound();
    const id = (JSON.parse(Buffer.from(state.split('.')[1] ?? '', 'base64url').toString('utf8')) as { p: { id: string } }).p.id;
    // Sealed with the dev key as the server seals, but with a lifetime already over.
    const expired = await createRequestStateCodec({ key: DEV_REQUEST_STATE_KEY, ttlSeconds: -1 }).mint({ id, confirmed: false });
    expectRefused(await call(adele, 'send_mail', MAIL, accept(expired)));
    expect(sends()).toHaveLength(0);
    expect(await refusalRows('state_expired')).toHaveLength(1);
  });

  it('replayed: the second use is refused, and Graph was called once', async () => {
    const state = await firstRound();
    expect((await call(adele, 'send_mail', MAIL, accept(state))).result?.isError).toBeFalsy();
    const again = await Promise.all([call(adele, 'send_mail', MAIL, accept(state)), call(adele, 'send_mail', MAIL, accept(state))]);
    for (const answer of again) expectRefused(answer);
    expect(sends()).toHaveLength(1);
    expect(await refusalRows('state_replayed')).toHaveLength(2);
  });

  it('used twice at once: one runs, the other is refused', async () => {
    const state = await firstRound();
    const answers = await Promise.all([call(adele, 'send_mail', MAIL, accept(state)), call(adele, 'send_mail', MAIL, accept(state))]);
    expect(answers.filter((answer) => answer.error !== undefined)).toHaveLength(1);
    expect(sends()).toHaveLength(1);
  });

  it('another user\'s: refused, audited, and left for its owner', async () => {
    const state = await firstRound();
    const alex = await stack.idp.accessToken(ALEX);
    expectRefused(await call(alex, 'send_mail', MAIL, accept(state)));
    expect(sends()).toHaveLength(0);
    const rows = await refusalRows('state_other_caller');
    expect(rows.map((row) => row['oid'])).toEqual([ALEX.oid]);
    expect((await call(adele, 'send_mail', MAIL, accept(state))).result?.isError).toBeFalsy();
  });

  it('the same user through another client app: refused', async () => {
    const state = await firstRound();
    const elsewhere = await stack.idp.accessToken(ADELE, { azp: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b' });
    expectRefused(await call(elsewhere, 'send_mail', MAIL, accept(state)));
    expect(sends()).toHaveLength(0);
  });

  it('for other arguments or another tool: refused, so an accept never carries over to what the person did not see', async () => {
    const state = await firstRound();
    expectRefused(await call(adele, 'send_mail', { ...MAIL, to: ['attacker@evil.example'] }, accept(state)));
    expectRefused(await call(adele, 'send_chat_message', { chatId: 'chat-1', text: 'hi' }, accept(state)));
    expect(stack.graph.requests).toHaveLength(0);
    expect(await refusalRows('state_other_call')).toHaveLength(1);
  });
});
