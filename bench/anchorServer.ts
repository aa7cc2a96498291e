// The anchor: the bare MCP SDK v2 handler (createMcpHandler, as it comes: 2026-07-28 and stateless 2025-era serving),
// one trivial tool, no auth: the yardstick for every figure of ours.
import { createMcpHandler, Server, type CallToolResult } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { serveFetch } from '../sandbox/nodeFetch.js';

// One validator shared by every per-request server, as the SDK's own stateless guidance allows.
const validator = new AjvJsonSchemaValidator();

const TOOLS = [{
  name: 'echo',
  description: 'Answers ok.',
  inputSchema: { type: 'object' as const, properties: {} },
  outputSchema: { type: 'object' as const, properties: { ok: { type: 'boolean' } }, required: ['ok'] },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
}];

const OK: CallToolResult = { content: [{ type: 'text', text: 'ok' }], structuredContent: { ok: true } };

const handler = createMcpHandler(() => {
  const server = new Server({ name: 'anchor', version: '1.0.0' }, { capabilities: { tools: {} }, jsonSchemaValidator: validator });
  server.setRequestHandler('tools/list', () => ({ tools: TOOLS }));
  server.setRequestHandler('tools/call', (call) => (call.params.name === 'echo'
    ? OK
    : { content: [{ type: 'text', text: `no tool ${call.params.name}` }], isError: true }));
  return server;
});

const served = await serveFetch((request) => handler.fetch(request), { port: Number(process.env['PORT'] ?? 0) });
process.send?.({ ready: true, port: served.port });
