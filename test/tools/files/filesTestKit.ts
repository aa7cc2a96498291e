// Helpers the files tests share: calling a tool as a user over MCP, reading its result, and finding seeded items.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { ToolDefinition } from '../../../shared/tools/defineTool.js';
import { TOOL_ERROR_META_KEY } from '../../../shared/mcp/toolErrorResult.js';
import type { StoredDriveItem } from '../../support/graph/userData.js';
import { connectClient } from '../../support/mcpClient.js';
import type { SampleUser } from '../../support/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';

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

/** The typed code of an error result (undefined for a success). */
export function errorCode(result: CallToolResult): string | undefined {
  expect(result.isError, JSON.stringify(result)).toBe(true);
  return (result._meta?.[TOOL_ERROR_META_KEY] as { code?: string } | undefined)?.code;
}

/** A seeded item of `user` by its path from the OneDrive root, e.g. `Documents/Notes.txt`. */
export function itemAt(stack: TestStack, user: SampleUser, path: string, siteId?: string): StoredDriveItem {
  const items = stack.graph.dataOf(user).driveItems.filter((item) => (item.parentReference?.siteId ?? undefined) === siteId);
  let current = items.find((item) => item.root !== undefined && item.root !== null);
  for (const name of path.split('/').filter((segment) => segment !== '')) {
    const parent = current;
    current = items.find((item) => item.parentId === parent?.id && item.name === name);
  }
  if (current === undefined) throw new Error(`No seeded item at ${path} for ${user.key}`);
  return current;
}

export function childrenIn(stack: TestStack, user: SampleUser, folder: StoredDriveItem): StoredDriveItem[] {
  return stack.graph.dataOf(user).driveItems.filter((item) => item.parentId === folder.id);
}

/** Walks every page of a list tool, following nextCursor, and returns each page's ids. */
export async function walkPages(client: Client, name: string, args: Record<string, unknown>, idsOf: (result: CallToolResult) => { ids: string[]; nextCursor?: string | undefined }): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = idsOf(await callTool(client, name, { ...args, ...(cursor !== undefined && { cursor }) }));
    pages.push(page.ids);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(50);
  } while (cursor !== undefined);
  return pages;
}
