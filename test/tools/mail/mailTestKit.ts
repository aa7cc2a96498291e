// Helpers the mail tests share: calling a tool as a user over MCP, and reading its structured result.
import type { McpClient } from '../../support/mcpClient.js';
import type { TestStack } from '../../support/testStack.js';

export { callTool, connectAs, structured } from '../../support/toolCalls.js';

export type Clients = Record<'adele' | 'alex' | 'megan', McpClient>;

/** The Graph requests the local Graph saw since `from`, with their query parsed. */
export function graphRequestsSince(stack: TestStack, from: number): { method: string; path: string; query: URLSearchParams; status: number; scopes: readonly string[] }[] {
  return stack.graph.requests.slice(from).map((request) => ({
    method: request.method,
    path: decodeURIComponent(request.path),
    query: new URL(request.url, stack.graph.url).searchParams,
    status: request.status,
    scopes: request.scopes,
  }));
}
