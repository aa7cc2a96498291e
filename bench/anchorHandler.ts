// The anchor: the bare MCP SDK v2 handler (createMcpHandler, as it comes: 2026-07-28 and stateless 2025-era serving),
// no auth, listing the same tools as ours, answering one trivial tool and one that sends a Graph request directly
// (with fetch, a token it was given, nothing checked or shaped): the yardstick for every figure of ours.
import { createMcpHandler, Server, type CallToolResult } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { createToolCatalog } from '../shared/tools/catalog.js';

const OK: CallToolResult = { content: [{ type: 'text', text: 'ok' }], structuredContent: { ok: true } };

/** The one Graph request the anchor's `graph` tool sends: ours' Graph tool's, with a Graph token for the same user. */
export interface AnchorGraphRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a bare server's tool calling Graph does: fetch, parse, hand the JSON back. */
async function callGraph(graph: AnchorGraphRequest): Promise<CallToolResult> {
  const answer = await fetch(graph.url, { headers: graph.headers });
  const body = await answer.json() as Record<string, unknown>;
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body };
}

/** The anchor's fetch handler. */
export function createAnchorHandler(graph?: AnchorGraphRequest): (request: Request) => Promise<Response> {
  // One validator shared by every per-request server, as the SDK's own stateless guidance allows.
  const validator = new AjvJsonSchemaValidator();
  // Our server's list with every tool set on and every scope granted (as the bench runs ours), its JSON Schemas built
  // once: what a bare server serving the same tools hands the SDK. The echo tool it calls is not listed.
  const tools = createToolCatalog(undefined).listed;
  const handler = createMcpHandler(() => {
    const server = new Server({ name: 'anchor', version: '1.0.0' }, { capabilities: { tools: {} }, jsonSchemaValidator: validator });
    server.setRequestHandler('tools/list', () => ({ tools }) as never);
    server.setRequestHandler('tools/call', (call) => {
      if (call.params.name === 'echo') return OK;
      if (call.params.name === 'graph' && graph !== undefined) return callGraph(graph);
      return { content: [{ type: 'text', text: `no tool ${call.params.name}` }], isError: true };
    });
    return server;
  });
  return (request) => handler.fetch(request);
}
