// Shared by the calendar tests: tool calls through a real MCP client, error codes, and dates around the seeded week.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { z } from 'zod';
import { TOOL_ERROR_META_KEY } from '../../../shared/mcp/toolErrorResult.js';
import { connectClient } from '../../support/mcpClient.js';
import type { SampleUser } from '../../support/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A client with a token of its own, so the server's OBO cache cannot answer for another test. */
export async function clientFor(stack: TestStack, user: SampleUser): Promise<Client> {
  return connectClient(stack.mcpUrl, await stack.idp.accessToken(user));
}

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The typed code of an error result (undefined for a success). */
export function errorCode(result: CallToolResult): string | undefined {
  const meta = result._meta?.[TOOL_ERROR_META_KEY] as { code?: string } | undefined;
  return result.isError === true ? meta?.code : undefined;
}

/** The structured content of a successful result, checked against the tool's own zod output schema. */
export function structuredOf<T extends z.ZodType>(result: CallToolResult, output: T): z.output<T> {
  expect(result.isError, JSON.stringify(result)).toBeFalsy();
  const parsed = output.safeParse(result.structuredContent);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return parsed.data as z.output<T>;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** `YYYY-MM-DDTHH:mm:ss` of an instant in UTC, as Graph writes wall-clock times. */
export const utcWall = (ms: number): string => iso(ms).slice(0, 19);

/** Wall-clock `YYYY-MM-DDTHH:mm:ss` of an instant in an IANA zone. */
export function wallIn(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms).map((part) => [part.type, part.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}
