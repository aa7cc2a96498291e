// Helpers the mail tests share: calling a tool as a user over MCP, and reading its structured result.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { ToolDefinition } from '../../../shared/tools/defineTool.js';
import { connectClient } from '../../support/mcpClient.js';
import type { SampleUser } from '../../support/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';

export type Clients = Record<'adele' | 'alex' | 'megan', Client>;

export async function connectAs(stack: TestStack, user: SampleUser): Promise<Client> {
  return connectClient(stack.mcpUrl, await stack.idp.accessToken(user));
}

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return await client.callTool({ name, arguments: args }) as CallToolResult;
}

/** A successful result's structured content, checked against the tool's own zod output schema. */
export function structured<Output extends z.ZodObject>(tool: Pick<ToolDefinition<z.ZodObject, Output>, 'output'>, result: CallToolResult): z.output<Output> {
  expect(result.isError, JSON.stringify(result)).toBeFalsy();
  const parsed = tool.output.safeParse(result.structuredContent);
  expect(parsed.success, JSON.stringify(parsed.error)).toBe(true);
  return parsed.data as z.output<Output>;
}

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
