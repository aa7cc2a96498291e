// The anchor: the bare MCP SDK v2 handler (createMcpHandler, as it comes: 2026-07-28 and stateless 2025-era serving),
// no auth, listing the same tools as ours and answering one trivial tool: the yardstick for every figure of ours.
import { createMcpHandler, Server, type CallToolResult } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { createToolCatalog } from '../shared/tools/catalog.js';

const OK: CallToolResult = { content: [{ type: 'text', text: 'ok' }], structuredContent: { ok: true } };

/** The anchor's fetch handler. */
export function createAnchorHandler(): (request: Request) => Promise<Response> {
  // One validator shared by every per-request server, as the SDK's own stateless guidance allows.
  const validator = new AjvJsonSchemaValidator();
  // Our server's list with every tool set on and every scope granted (as the bench runs ours), its JSON Schemas built
  // once: what a bare server serving the same tools hands the SDK. The echo tool it calls is not listed.
  const tools = createToolCatalog(undefined).listed;
  const handler = createMcpHandler(() => {
    const server = new Server({ name: 'anchor', version: '1.0.0' }, { capabilities: { tools: {} }, jsonSchemaValidator: validator });
    server.setRequestHandler('tools/list', () => ({ tools }) as never);
    server.setRequestHandler('tools/call', (call) => (call.params.name === 'echo'
      ? OK
      : { content: [{ type: 'text', text: `no tool ${call.params.name}` }], isError: true }));
    return server;
  });
  return (request) => handler.fetch(request);
}
