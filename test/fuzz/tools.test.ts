// Every tool, arguments generated from its schema with hostile strings, ids and cursors mixed in, batched, as two users
// of two tenants, while Graph now and then answers with hostile redirects and bodies: no 5xx, no internal_error, no
// Graph token off Graph's origin, no other user's data.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../shared/tools/catalog.js';
import { hugeErrorReply, rawReply, redirectReply, redirectWithoutLocation, startForeignHost, streamReply, type ForeignHost, type HostileReply } from '../../sandbox/graph/hostileGraph.js';
import type { UserData } from '../../sandbox/graph/userData.js';
import { ADELE, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';
import { deepJson, toJsonText } from './arbitraries.js';
import { caseCounter, FUZZ_TEST_TIMEOUT_MS, fuzzParameters } from './fuzzSettings.js';
import { expectNoServerFault, expectOnlyOwnData, expectTokensStayHome } from './invariants.js';
import { markerOf, seedMarkedUserData } from './markedData.js';
import { toolArguments, type ArgumentPools } from './toolArguments.js';

const USERS: readonly SampleUser[] = [ADELE, MEGAN];

let stack: TestStack;
let foreign: ForeignHost;
let plain: ForeignHost;
const tokens = new Map<string, string>();
let pools: ArgumentPools;
const cases = caseCounter('tools');

interface Answer {
  readonly status: number;
  readonly text: string;
}

/** A batch (MCP 2025-03-26 allows them) or one message, POSTed as `user`. */
async function post(user: SampleUser, body: string): Promise<Answer> {
  const response = await fetch(stack.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-03-26', authorization: `Bearer ${tokens.get(user.key) ?? ''}` },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Every string id in a user's data. */
function idsIn(data: UserData): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return;
    if (Array.isArray(value)) return value.forEach(visit);
    for (const [key, item] of Object.entries(value)) {
      if (key === 'id' && typeof item === 'string') found.add(item);
      else visit(item);
    }
  };
  const { user: _owner, ...stores } = data;
  visit(stores);
  return [...found];
}

/** Calls that return a next page in the sample data, for real cursors to replay (as the other user too). */
const PAGED_CALLS: readonly [string, Record<string, unknown>][] = [
  ['list_messages', { top: 1 }], ['search_messages', { query: 'a', top: 1 }], ['find_people', { query: 'a', top: 1 }],
  ['list_events', { start: '2020-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z', top: 1 }], ['list_drive_items', { top: 1 }],
  ['search_files', { query: 'a', top: 1 }], ['list_sites', { top: 1 }], ['list_chats', { top: 1 }], ['list_teams', { top: 1 }],
  ['list_task_lists', { top: 1 }], ['list_notebooks', { top: 1 }],
];

async function realCursors(): Promise<Map<string, string[]>> {
  const cursors = new Map<string, string[]>();
  for (const user of USERS) {
    const batch = PAGED_CALLS.map(([name, args], index) => ({ jsonrpc: '2.0', id: index, method: 'tools/call', params: { name, arguments: args } }));
    const answer = await post(user, JSON.stringify(batch));
    for (const message of JSON.parse(answer.text) as { id: number; result?: { structuredContent?: { nextCursor?: string } } }[]) {
      const cursor = message.result?.structuredContent?.nextCursor;
      const name = PAGED_CALLS[message.id]?.[0];
      if (cursor !== undefined && name !== undefined) cursors.set(name, [...(cursors.get(name) ?? []), cursor]);
    }
  }
  return cursors;
}

/** What Graph answers instead of its own answer, as data (built into a fresh reply on every run). */
type Plan =
  | { readonly kind: 'redirect'; readonly location: string; readonly status: number; readonly times: number }
  | { readonly kind: 'noLocation'; readonly times: number }
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly times: number }
  | { readonly kind: 'hugeError'; readonly status: number; readonly times: number }
  | { readonly kind: 'stream'; readonly bytes: number; readonly headers: Record<string, string>; readonly times: number };

function replyOf(plan: Plan): HostileReply {
  switch (plan.kind) {
    case 'redirect':
      return { ...redirectReply(plan.location, plan.status), times: plan.times };
    case 'noLocation':
      return { ...redirectWithoutLocation(), times: plan.times };
    case 'raw':
      return { ...rawReply(plan.status, plan.body), times: plan.times };
    case 'hugeError':
      return { ...hugeErrorReply(plan.status, 200_000), times: plan.times };
    case 'stream':
      return { ...streamReply({ bytes: plan.bytes, headers: plan.headers }), times: plan.times };
  }
}

function planArbitrary(): fc.Arbitrary<Plan> {
  const graphPort = new URL(stack.graph.url).port;
  const locations = [
    `${foreign.url}/download/1`, `${plain.url}/x`, `https:/localhost:${foreign.port}/x`, `https:localhost:${foreign.port}/x`,
    `https:\\\\localhost:${foreign.port}\\x`, `http:/localhost:${plain.port}/x`, `http:localhost:${plain.port}/x`, `//localhost:${foreign.port}/x`,
    `/\\localhost:${foreign.port}/x`, `//localhost:${plain.port}/x`, `https://user:pw@localhost:${foreign.port}/`, 'javascript:alert(1)', 'file:///etc/passwd',
    'data:text/plain,x', '', ' ', '/v1.0/me', `${stack.graph.url}/v1.0/me`, `https://127.0.0.1:${graphPort}/v1.0/me`, 'https://[::1', 'http://%zz',
    'https://localhost:1/x', `${stack.graph.url}/v1.0/me/../../v1.0/users`, `${stack.graph.url}/v1.0/%2e%2e/me`,
  ];
  const times = fc.integer({ min: 1, max: 3 });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('redirect' as const), location: fc.constantFrom(...locations), status: fc.constantFrom(301, 302, 303, 307, 308), times }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant('noLocation' as const), times }), weight: 1 },
    { arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      status: fc.constantFrom(200, 200, 201, 400, 404, 500),
      body: fc.constantFrom('not json', '', '[]', 'null', '"x"', '{"value":5}', '{"value":[null,1,"x"]}', '{"value":[{"id":null}]}', '{"id":{"x":1},"displayName":[]}',
        '{"@odata.nextLink":"https://evil.example/v1.0/me/messages","value":[]}', `{"@odata.nextLink":"${foreign.url}/v1.0/me/messages","value":[]}`,
        deepJson(100_000, 'array'), `{"value":${deepJson(50_000, 'object')}}`, '{"error":{"code":5,"message":null}}', '\uFEFF{}', '{"error":"x"}'),
      times,
    }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('hugeError' as const), status: fc.constantFrom(400, 403, 404, 409, 500), times }), weight: 1 },
    { arbitrary: fc.record({
      kind: fc.constant('stream' as const),
      bytes: fc.constantFrom(100, 10 * 1024 * 1024),
      headers: fc.constantFrom<Record<string, string>>({}, { 'content-length': '5' }, { 'content-type': 'text/html' }),
      times: fc.constant(1),
    }), weight: 1 },
  );
}

beforeAll(async () => {
  stack = await startTestStack({ seed: seedMarkedUserData, app: { refusalsPerMinute: 0 } });
  [foreign, plain] = await Promise.all([startForeignHost({ tls: testTls() }), startForeignHost({ tls: testTls(), protocol: 'http' })]);
  for (const user of USERS) tokens.set(user.key, await stack.idp.accessToken(user));
  const ids = [...new Set(USERS.flatMap((user) => idsIn(stack.graph.dataOf(user))))].sort();
  pools = { graphUrl: stack.graph.url, ids, cursors: await realCursors(), emails: [...USERS.map((user) => user.upn), 'AlexW@contoso.example', 'nobody@nowhere.example'] };
});
afterAll(async () => {
  cases.report();
  await Promise.all([foreign?.close(), plain?.close(), stack?.close()]);
});

describe('tool calls generated from every schema', () => {
  it('the users\' data is marked, and real cursors were found to replay', () => {
    expect(JSON.stringify(stack.graph.dataOf(MEGAN).messages)).toContain(markerOf(MEGAN));
    expect(pools.ids.length).toBeGreaterThan(20);
    expect(pools.cursors.size).toBeGreaterThan(2);
  });

  it('never a 5xx or internal_error, never a token off Graph\'s origin, never another user\'s data', async () => {
    const call = fc.constantFrom(...TOOLS).chain((tool) => toolArguments(tool, pools).map((args) => ({ name: tool.name, args })));
    const plans = fc.oneof({ arbitrary: fc.constant([] as Plan[]), weight: 3 }, { arbitrary: fc.array(planArbitrary(), { minLength: 1, maxLength: 2 }), weight: 1 });
    await fc.assert(fc.asyncProperty(fc.constantFrom(...USERS), fc.array(call, { minLength: 1, maxLength: 20 }), plans, async (user, calls, planned) => {
      cases.add(calls.length);
      stack.graph.requests.length = 0;
      foreign.requests.length = 0;
      plain.requests.length = 0;
      stack.graph.hostile.splice(0, Infinity, ...planned.map(replyOf));
      const batch = calls.map((generated, index) => ({ jsonrpc: '2.0', id: index + 1, method: 'tools/call', params: { name: generated.name, arguments: generated.args } }));
      let answer: Answer;
      try {
        answer = await post(user, toJsonText(batch));
      } finally {
        stack.graph.hostile.length = 0;
      }
      const what = () => `${user.key}: ${calls.map((generated) => generated.name).join(', ')} with ${planned.map((plan) => plan.kind).join(', ') || 'no hostile answer'}`;
      expectNoServerFault(answer.status, answer.text, what);
      expectOnlyOwnData(answer.text, user, USERS, what);
      expectTokensStayHome(stack.graph, [user], [foreign], [plain]);
    }), fuzzParameters(110));
  }, FUZZ_TEST_TIMEOUT_MS);
});
