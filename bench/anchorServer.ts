// The anchor: a bare MCP SDK stateless server (one trivial tool, no auth), the yardstick for every figure of ours.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { serveFetch } from '../sandbox/nodeFetch.js';

// One validator shared by every per-request server, as the SDK's own stateless guidance allows.
const validator = new AjvJsonSchemaValidator();

const TOOLS = [{
  name: 'echo',
  description: 'Answers ok.',
  inputSchema: { type: 'object', properties: {} },
  outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
}];

const OK: CallToolResult = { content: [{ type: 'text', text: 'ok' }], structuredContent: { ok: true } };

async function handle(request: Request): Promise<Response> {
  // Stateless: a GET would open an SSE stream that never ends.
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
  const server = new Server({ name: 'anchor', version: '1.0.0' }, { capabilities: { tools: {} }, jsonSchemaValidator: validator });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, (call) => (call.params.name === 'echo'
    ? OK
    : { content: [{ type: 'text', text: `no tool ${call.params.name}` }], isError: true }));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    return await transport.handleRequest(request);
  } finally {
    void server.close();
  }
}

const served = await serveFetch(handle, { port: Number(process.env['PORT'] ?? 0) });
process.send?.({ ready: true, port: served.port });
