// Helpers the files tests share: calling a tool as a user over MCP, reading its result, and finding seeded items.
import type { McpClient } from '../../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type { StoredDriveItem } from '../../../sandbox/graph/userData.js';
import type { SampleUser } from '../../../sandbox/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';

import { callTool } from '../../support/toolCalls.js';

export { callTool, connectAs, errorCode, structured } from '../../support/toolCalls.js';

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
export async function walkPages(client: McpClient, name: string, args: Record<string, unknown>, idsOf: (result: CallToolResult) => { ids: string[]; nextCursor?: string | undefined }): Promise<string[][]> {
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
