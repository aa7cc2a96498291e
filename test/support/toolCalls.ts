// Calling tools as a user over MCP and reading their results: what every tool test does.
import type { McpClient } from './mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type * as z from 'zod';
import type { ToolDefinition } from '../../shared/tools/defineTool.js';
import { connectClient } from './mcpClient.js';
import { toolErrorCode } from './rawMcp.js';
import type { SampleUser } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack, type TestStackOptions } from './testStack.js';

export async function connectAs(stack: TestStack, user: SampleUser): Promise<McpClient> {
  return connectClient(stack.mcpUrl, await stack.idp.accessToken(user));
}

export async function callTool(client: McpClient, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }));
}

/** The structured content of a successful result, checked against a zod output schema. */
export function structuredOf<T extends z.ZodType>(result: CallToolResult, output: T): z.output<T> {
  expect(result.isError, JSON.stringify(result)).toBeFalsy();
  const parsed = output.safeParse(result.structuredContent);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return parsed.data as z.output<T>;
}

/** The structured content of a successful result, checked against the tool's own output schema. */
export function structured<Output extends z.ZodObject>(tool: Pick<ToolDefinition<z.ZodObject, Output>, 'output'>, result: CallToolResult): z.output<Output> {
  return structuredOf(result, tool.output);
}

/** The typed code of an error result; fails the test when the result is not an error. */
export function errorCode(result: CallToolResult): string | undefined {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  return toolErrorCode(result);
}

export interface StackWithClients {
  readonly stack: TestStack;
  /** The connected client of a user given at start. */
  clientOf(user: SampleUser): McpClient;
  close(): Promise<void>;
}

/** A stack with one connected MCP client per user: what most tool test files start with. */
export async function startStackWithClients(users: readonly SampleUser[], options?: TestStackOptions): Promise<StackWithClients> {
  const stack = await startTestStack(options);
  const clients = new Map<string, McpClient>();
  for (const user of users) clients.set(user.key, await connectAs(stack, user));
  return {
    stack,
    clientOf: (user) => {
      const client = clients.get(user.key);
      if (client === undefined) throw new Error(`no client for ${user.key}`);
      return client;
    },
    close: async () => {
      await Promise.all([...clients.values()].map((client) => client.close()));
      await stack.close();
    },
  };
}

export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export interface Annotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** Each tool named is listed with these annotations, a title, an output schema and a short description, in at most `maxChars` of JSON. */
export async function expectListed(client: McpClient, expected: Readonly<Record<string, Annotations>>, maxChars = 3_000): Promise<void> {
  const { tools } = await client.listTools();
  for (const [name, annotations] of Object.entries(expected)) {
    const tool = tools.find((candidate) => candidate.name === name);
    expect(tool?.annotations, name).toEqual(annotations);
    expect(tool?.title, name).toBeTruthy();
    expect(tool?.outputSchema, name).toBeDefined();
    expect(tool?.description?.length, name).toBeLessThanOrEqual(200);
    expect(JSON.stringify(tool).length, name).toBeLessThan(maxChars);
  }
}
