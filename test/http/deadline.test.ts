// Every request has a deadline and an answer: a Graph that never answers, storage that never answers, and a
// request cancelled in its own batch (which the SDK never answers) all end with a response.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { azuriteConnectionString } from '../../sandbox/azurite.js';
import { listenHttps, type RunningServer } from '../../sandbox/httpsServer.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { ConfigError } from '../../shared/config/configError.js';
import { MAX_REQUEST_TIMEOUT_SECONDS, parseConfig } from '../../shared/config/parseConfig.js';
import { connectClient } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { callToolMessage, postMcp, type RawAnswer } from '../support/rawMcp.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';

const BATCHING = { 'mcp-protocol-version': '2025-03-26' };
const cancel = (requestId: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'changed my mind' } });

interface RpcError {
  readonly id: number | string | null;
  readonly error?: { readonly code: number; readonly data?: { readonly code?: string } };
  readonly result?: unknown;
}

interface SilentGraph extends RunningServer {
  /** Requests received, and connections the caller closed since. */
  readonly opened: number;
  readonly closed: number;
  /** `METHOD path` of every request received. */
  readonly received: readonly string[];
}

/** An https "Graph" that takes requests and never answers them. */
async function startSilentGraph(): Promise<SilentGraph> {
  let opened = 0;
  let closed = 0;
  const received: string[] = [];
  const server = await listenHttps(testTls(), 0, (request) => {
    opened++;
    received.push(`${request.method} ${request.url}`);
    request.socket.once('close', () => closed++);
  });
  return {
    url: server.url,
    port: server.port,
    close: () => server.close(),
    get opened() {
      return opened;
    },
    get closed() {
      return closed;
    },
    received,
  };
}

/** A TCP port that accepts connections and never says a word: storage that hangs rather than refuses. */
async function startSilentPort(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('MCP_REQUEST_TIMEOUT_SECONDS', () => {
  const base = { MCP_DEV_MODE: '1' };

  it('defaults to 60 seconds and takes whole seconds from 1 to the maximum', () => {
    expect(parseConfig(base).requestTimeoutMs).toBe(60_000);
    expect(parseConfig({ ...base, MCP_REQUEST_TIMEOUT_SECONDS: '1' }).requestTimeoutMs).toBe(1_000);
    expect(parseConfig({ ...base, MCP_REQUEST_TIMEOUT_SECONDS: String(MAX_REQUEST_TIMEOUT_SECONDS) }).requestTimeoutMs).toBe(MAX_REQUEST_TIMEOUT_SECONDS * 1000);
  });

  it.each(['0', '-5', '1.5', 'soon', String(MAX_REQUEST_TIMEOUT_SECONDS + 1)])('refuses %s at start, naming the setting', (value) => {
    expect(() => parseConfig({ ...base, MCP_REQUEST_TIMEOUT_SECONDS: value })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, MCP_REQUEST_TIMEOUT_SECONDS: value })).toThrow(/MCP_REQUEST_TIMEOUT_SECONDS/);
  });

  it('stays under the Functions timeout in host.json, with room to answer', () => {
    const host = JSON.parse(readFileSync('host.json', 'utf8')) as { functionTimeout?: string };
    const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(host.functionTimeout ?? '');
    expect(match, 'host.json sets functionTimeout as hh:mm:ss').not.toBeNull();
    const [, hours, minutes, seconds] = match ?? [];
    const functionTimeoutSeconds = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
    expect(MAX_REQUEST_TIMEOUT_SECONDS + 30).toBeLessThanOrEqual(functionTimeoutSeconds);
  });
});

describe('a Graph that never answers', () => {
  let silent: SilentGraph;
  let stack: TestStack;
  beforeAll(async () => {
    silent = await startSilentGraph();
    stack = await startTestStack({ env: { GRAPH_BASE_URL: silent.url, MCP_REQUEST_TIMEOUT_SECONDS: '2' } });
  });
  afterAll(async () => {
    await stack.close();
    await silent.close();
  });

  it('gets the tool call a request_timeout error once the deadline passes, and the Graph call is aborted', async () => {
    const token = await stack.idp.accessToken(ADELE);
    // Signing keys and the Graph token fetched once, so the call below spends its deadline waiting on Graph.
    await postMcp(stack.mcpUrl, token, callToolMessage('whoami', {}, 6));
    const answer = await postMcp(stack.mcpUrl, token, callToolMessage('whoami', {}, 7));
    expect(answer.status).toBe(200);
    const body = answer.body as RpcError;
    expect(body.id).toBe(7);
    expect(body.error?.code).toBe(-32001);
    expect(body.error?.data?.code).toBe('request_timeout');
    expect(silent.opened).toBeGreaterThan(0);
    // Not left hanging at Graph: the request's signal ended the call.
    await vi.waitFor(() => expect(silent.closed).toBe(silent.opened));
  });

  it('answers the SDK client with an McpError it can act on, and the requests of a batch that did finish with their results', async () => {
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    const failure = await client.callTool({ name: 'whoami', arguments: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(McpError);
    expect((failure as McpError).code).toBe(-32001);
    await client.close();

    const batch = [callToolMessage('whoami', { profile: false }, 1), callToolMessage('whoami', {}, 2)];
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ADELE), batch, BATCHING);
    expect(answer.status).toBe(200);
    const [first, second] = answer.body as RpcError[];
    expect(first?.id).toBe(1);
    expect(first?.result).toMatchObject({ structuredContent: { oid: ADELE.oid } });
    expect(second?.id).toBe(2);
    expect(second?.error?.data?.code).toBe('request_timeout');
  });
});

describe('a write whose answer from Graph comes after the deadline', () => {
  let silent: SilentGraph;
  let stack: TestStack;
  beforeAll(async () => {
    silent = await startSilentGraph();
    stack = await startTestStack({ env: { GRAPH_BASE_URL: silent.url, MCP_REQUEST_TIMEOUT_SECONDS: '2' } });
  });
  afterAll(async () => {
    await stack.close();
    await silent.close();
  });

  const auditRows = async () => tableRows(stackTable(stack, 'Audit'));
  const keyOf = (row: Record<string, unknown>) => `${String(row['partitionKey'])}/${String(row['rowKey'])}`;

  interface ToolAnswer {
    readonly result?: { readonly isError?: boolean; readonly content: { text: string }[]; readonly _meta?: Record<string, { code?: string; correlationId?: string; hint?: string }> };
    readonly error?: RpcError['error'];
  }

  /** Calls `tool` once; returns its answer and the audit rows present the moment the answer arrived. */
  async function callOnce(tool: string, args: Record<string, unknown>, id: number): Promise<{ answer: ToolAnswer; rows: Record<string, unknown>[] }> {
    const before = new Set((await auditRows()).map(keyOf));
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ADELE), callToolMessage(tool, args, id));
    const rows = (await auditRows()).filter((row) => !before.has(keyOf(row)));
    expect(answer.status).toBe(200);
    return { answer: answer.body as ToolAnswer, rows };
  }

  it.each([
    ['send_mail', { to: ['alex@contoso.example'], subject: 'Once only', body: 'Sent twice would be bad' }, /Sent Items/, 'POST /v1.0/me/sendMail'],
    ['send_chat_message', { chatId: 'chat-1', text: 'Once only' }, /list_chat_messages/, 'POST /v1.0/chats/chat-1/messages'],
    ['post_channel_message', { teamId: 'team-1', channelId: 'channel-1', text: 'Once only' }, /list_channel_messages/, 'POST /v1.0/teams/team-1/channels/channel-1/messages'],
    ['create_task', { listId: 'list-1', title: 'Once only' }, /list_tasks/, 'POST /v1.0/me/todo/lists/list-1/tasks'],
  ])('%s: the answer says the outcome is unknown and where to check, not "try again", and the audit row says unknown before the answer leaves', async (tool, args, whereToCheck, sent) => {
    const { answer, rows } = await callOnce(tool, args, 11);
    expect(silent.received).toContain(sent);
    const meta = answer.result?._meta?.['onbehalf/error'];
    expect(answer.error).toBeUndefined();
    expect(answer.result?.isError).toBe(true);
    expect(meta?.code).toBe('outcome_unknown');
    const text = answer.result?.content.map((part) => part.text).join('\n') ?? '';
    expect(text).toMatch(whereToCheck);
    expect(text).toMatch(/do not call .* again/i);
    expect(text).not.toMatch(/try again/i);
    expect(rows).toEqual([expect.objectContaining({ tool, outcome: 'unknown', errorCode: 'outcome_unknown', correlationId: meta?.correlationId })]);
  });

  it('an idempotent write (update_task) is unknown too, and says calling it again is safe', async () => {
    const { answer, rows } = await callOnce('update_task', { listId: 'list-1', taskId: 'task-1', completed: true }, 12);
    expect(answer.result?._meta?.['onbehalf/error']?.code).toBe('outcome_unknown');
    expect(answer.result?.content.map((part) => part.text).join('\n')).toMatch(/again with the same arguments is safe/);
    expect(rows).toEqual([expect.objectContaining({ tool: 'update_task', outcome: 'unknown', targetId: 'list-1/task-1' })]);
  });

  it('writes one row per call: the aborted call adds none once the answer has gone', async () => {
    const { rows } = await callOnce('create_task', { listId: 'list-2', title: 'Counted once' }, 13);
    expect(rows).toHaveLength(1);
    await vi.waitFor(() => expect(silent.closed).toBe(silent.opened));
    const keys = new Set(rows.map(keyOf));
    // Let the aborted handler run to its end.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await auditRows()).filter((row) => row['targetId'] === 'list-2' && !keys.has(keyOf(row)))).toEqual([]);
  });

  it('a write that never began (still reading first) is request_timeout, safe to retry: its row says so before the answer, and no write follows', async () => {
    const { answer, rows } = await callOnce('cancel_event', { id: 'event-1' }, 14);
    expect(answer.error?.code).toBe(-32001);
    expect(answer.error?.data?.code).toBe('request_timeout');
    expect(rows).toEqual([expect.objectContaining({ tool: 'cancel_event', outcome: 'failed', errorCode: 'request_timeout', targetId: 'event-1' })]);
    await vi.waitFor(() => expect(silent.closed).toBe(silent.opened));
    expect(silent.received.filter((line) => line.includes('event-1')).map((line) => line.split(' ')[0])).toEqual(['GET']);
  });
});

describe('Table Storage that never answers', () => {
  let port: Awaited<ReturnType<typeof startSilentPort>>;
  let stack: TestStack;
  beforeAll(async () => {
    port = await startSilentPort();
    stack = await startTestStack({ env: { RATE_LIMIT_USER_PER_MINUTE: '10', TABLES_CONNECTION_STRING: azuriteConnectionString(port.port), MCP_REQUEST_TIMEOUT_SECONDS: '1' } });
  });
  afterAll(async () => {
    await stack.close();
    await port.close();
  });

  it('gets 504 request_timeout once the deadline passes while the budget is read, not an answer that never comes', async () => {
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ADELE), { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer.status).toBe(504);
    expect((answer.body as RpcError).error?.data?.code).toBe('request_timeout');
  });
});

describe('a request cancelled in its own batch', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const send = async (batch: unknown[]): Promise<RawAnswer> => postMcp(stack.mcpUrl, await stack.idp.accessToken(ADELE), batch, BATCHING);

  it.each([
    ['after it', [callToolMessage('whoami', {}, 1), cancel(1)]],
    ['before it', [cancel(1), callToolMessage('whoami', {}, 1)]],
  ])('is not answered when the cancellation comes %s, as the client asked, and the HTTP request still ends: 202', async (_order, batch) => {
    const answer = await send(batch);
    expect(answer.status).toBe(202);
    expect(answer.body).toBeUndefined();
  });

  it('leaves the other requests of the batch answered', async () => {
    const answer = await send([callToolMessage('whoami', { profile: false }, 1), callToolMessage('whoami', { profile: false }, 2), cancel(1)]);
    expect(answer.status).toBe(200);
    expect((answer.body as RpcError[]).map((response) => response.id)).toEqual([2]);
  });
});
