// The Foundry stand-in refuses an MCP server whose tools/list holds a schema outside Foundry's subset, as Foundry does.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { startAgentService, type AgentResponse, type AgentService } from '../../sandbox/foundry/agentService.js';
import { ResponsesApiError } from '../../sandbox/foundry/toolSchemas.js';
import { printedConnection } from '../support/foundryConnection.js';
import { HttpBrowser } from '../support/httpBrowser.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ECHO: Tool = {
  name: 'echo',
  inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'What to say back' } }, required: ['text'] },
  outputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
};

/** A small MCP server (the SDK's, stateless over HTTP) listing `echo` and whatever `extra` holds, counting the calls it gets. */
interface SmallServer {
  readonly url: string;
  extra: Tool[];
  calls: number;
  close(): Promise<void>;
}

async function startSmallServer(): Promise<SmallServer> {
  const small = { url: '', extra: [] as Tool[], calls: 0, close: async () => undefined };
  const http: HttpServer = createServer((request, response) => {
    const server = new Server({ name: 'small', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [ECHO, ...small.extra] }));
    server.setRequestHandler(CallToolRequestSchema, (call) => {
      small.calls++;
      const said = call.params.arguments?.['text'];
      const text = typeof said === 'string' ? said : '';
      return { content: [{ type: 'text', text }], structuredContent: { text } };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  small.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  small.close = () => new Promise<undefined>((resolve) => {
    http.closeAllConnections();
    http.close(() => resolve(undefined));
  });
  return small;
}

const BAD_TOOLS: readonly [string, Tool][] = [
  ['an anyOf in its input', { name: 'pick', inputSchema: { type: 'object', properties: { value: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } } }],
  ['a nullable field in its output', { name: 'peek', inputSchema: { type: 'object', properties: {} }, outputSchema: { type: 'object', properties: { note: { type: ['string', 'null'] } } } }],
];

let stack: TestStack;
let small: SmallServer;
let agent: AgentService;
const user = 'foundry-user-small-server';
let pending: AgentResponse;

beforeAll(async () => {
  stack = await startTestStack();
  small = await startSmallServer();
  agent = await startAgentService({ connection: { ...(await printedConnection(stack)), mcpUrl: small.url }, projectTenantId: DEV_TENANT_ID, serverLabel: 'small' });
  // The user consents once; from then on the stand-in holds a token and goes to the server.
  pending = await agent.createResponse({ user, tool: { name: 'echo', arguments: { text: 'hello' } } });
  const [consent] = pending.output;
  if (consent?.type !== 'oauth_consent_request') throw new Error(`expected a consent request, got ${JSON.stringify(pending.output)}`);
  await new HttpBrowser().signIn(consent.consent_link, { user: 'adele', consent: 'accept' });
  await agent.waitForConsent(consent.id);
});

afterAll(async () => {
  await agent.close();
  await small.close();
  await stack.close();
});

describe('the Foundry stand-in listing a server\'s tools', () => {
  it.each(BAD_TOOLS)('refuses the response when one tool has %s, naming it, and calls none of the server\'s tools', async (_case, bad) => {
    small.extra = [bad];
    const calls = small.calls;
    const refused = await agent.createResponse({ user, previousResponseId: pending.id }).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(ResponsesApiError);
    expect(refused).toMatchObject({ status: 400, type: 'invalid_request_error', detail: `Invalid tool schema for: small.${bad.name}` });
    expect((refused as Error).message).toBe(`invalid_request_error: Invalid tool schema for: small.${bad.name}`);
    expect(small.calls).toBe(calls);
  });

  it('calls the tool once every listed schema is inside the subset', async () => {
    small.extra = [];
    const response = await agent.createResponse({ user, previousResponseId: pending.id });
    expect(response.output).toEqual([expect.objectContaining({ type: 'mcp_call', name: 'echo', output: 'hello', error: null, structured_content: { text: 'hello' } })]);
    expect(small.calls).toBe(1);
  });
});
