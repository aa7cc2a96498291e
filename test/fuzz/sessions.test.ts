// Stateful mode: generated Mcp-Session-Id values (any shape, unissued ids of the right shape, other users' sessions)
// on POST and DELETE: never a 5xx or internal error, and another user's session never serves or ends for the caller.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSIONS } from '../../shared/mcp/serverInfo.js';
import { ADELE, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { rpcBody, sessionIdArbitrary, toJsonText } from './arbitraries.js';
import { caseCounter, FUZZ_TEST_TIMEOUT_MS, fuzzParameters } from './fuzzSettings.js';
import { expectNoServerFault, expectOnlyOwnData } from './invariants.js';
import { seedMarkedUserData } from './markedData.js';

const USERS: readonly SampleUser[] = [ADELE, MEGAN];

let stack: TestStack;
const tokens = new Map<string, string>();
/** Each user's own sessions: one negotiated at 2025-11-25, one at 2025-03-26 (which takes batches). */
const sessions = new Map<string, string[]>();
const cases = caseCounter('sessions');

async function send(user: SampleUser, method: 'POST' | 'DELETE', sessionId: string | undefined, body?: string, version = '2025-11-25'): Promise<{ status: number; text: string; sessionId: string | null }> {
  const response = await fetch(stack.mcpUrl, {
    method,
    headers: mcpHeaders(tokens.get(user.key), { 'mcp-protocol-version': version, ...(sessionId !== undefined && { 'mcp-session-id': sessionId }) }),
    ...(body !== undefined && { body }),
  });
  return { status: response.status, text: await response.text(), sessionId: response.headers.get('mcp-session-id') };
}

beforeAll(async () => {
  stack = await startTestStack({ seed: seedMarkedUserData, app: { refusalsPerMinute: 0 }, env: { MCP_SESSION_MODE: 'stateful' } });
  for (const user of USERS) {
    tokens.set(user.key, await stack.idp.accessToken(user));
    for (const protocolVersion of ['2025-11-25', '2025-03-26']) {
      const begun = await send(user, 'POST', undefined, JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion } }));
      expect(begun.sessionId).toMatch(/^[0-9a-f]{32}$/);
      sessions.set(user.key, [...(sessions.get(user.key) ?? []), begun.sessionId ?? '']);
    }
  }
});
afterAll(async () => {
  cases.report();
  await stack?.close();
});

/** Header values fetch will send. */
const headerSafe = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value) && value.trim() === value;

describe('generated session ids', () => {
  it('on POST and DELETE: never a 5xx or internal error; another user\'s session never serves or ends for the caller', async () => {
    const known = USERS.flatMap((user) => sessions.get(user.key) ?? []);
    const body = fc.oneof(
      fc.constant('{"jsonrpc":"2.0","id":1,"method":"tools/list"}'),
      fc.constant('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}'),
      fc.constant('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_messages","arguments":{}}}'),
      fc.constant(JSON.stringify(INITIALIZE)),
      rpcBody.map(toJsonText),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom(...USERS), sessionIdArbitrary(known).filter(headerSafe), fc.constantFrom<'POST' | 'DELETE'>('POST', 'POST', 'DELETE'), body, fc.constantFrom(...PROTOCOL_VERSIONS),
      async (user, sessionId, method, text, version) => {
        cases.add(1);
        const own = sessions.get(user.key) ?? [];
        // Ending one's own session is allowed; it would only end the run's fixtures.
        const verb = method === 'DELETE' && own.includes(sessionId) ? 'POST' : method;
        const answer = await send(user, verb, sessionId, verb === 'POST' ? text : undefined, version);
        const what = () => `${user.key} ${verb} session ${JSON.stringify(sessionId.slice(0, 80))} ${text.slice(0, 300)}`;
        expectNoServerFault(answer.status, answer.text, what);
        expectOnlyOwnData(answer.text, user, USERS, what);
        if (known.includes(sessionId) && !own.includes(sessionId)) expect(answer.status, what()).toBeGreaterThanOrEqual(400);
      }), fuzzParameters(150));
    // Every session still serves its own user.
    for (const user of USERS) {
      for (const id of sessions.get(user.key) ?? []) expect((await send(user, 'POST', id, '{"jsonrpc":"2.0","id":1,"method":"ping"}')).status).toBe(200);
    }
  }, FUZZ_TEST_TIMEOUT_MS);
});
