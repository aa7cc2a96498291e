// What the Foundry stand-in does with an MCP server's tools/list: one tool outside Foundry's schema subset fails the response.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { foundrySchemaViolations } from '../../shared/tools/foundrySchemaRule.js';

const MAX_PAGES = 20;

/** A Responses API error answer: HTTP `status` with `{"error":{"type":…,"message":…}}`, thrown by the stand-in. */
export class ResponsesApiError extends Error {
  constructor(readonly type: 'invalid_request_error', readonly detail: string, readonly status = 400) {
    super(`${type}: ${detail}`);
  }
}

/**
 * Lists every tool of the server `client` is connected to, as Foundry does before the model runs, and throws
 * `ResponsesApiError` `invalid_request_error` "Invalid tool schema for: <label>.<tool>" for the first tool whose
 * input or output schema leaves the subset: Foundry then offers none of the server's tools (Microsoft Q&A
 * 5684372, 5909138). Whether Foundry reads output schemas is not documented; the stand-in checks both.
 */
export async function listToolsAsFoundry(client: Client, serverLabel: string): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  // A server that pages forever is not followed forever.
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
    if (cursor === undefined) break;
  }
  for (const tool of tools) {
    const outside = foundrySchemaViolations(tool.inputSchema).length > 0
      || (tool.outputSchema !== undefined && foundrySchemaViolations(tool.outputSchema).length > 0);
    if (outside) throw new ResponsesApiError('invalid_request_error', `Invalid tool schema for: ${serverLabel}.${tool.name}`);
  }
  return tools;
}
