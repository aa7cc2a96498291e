// What Graph answers as null reaches the client as a field left out: results have no null, and still match their output schema.
import type { McpClient } from '../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rawReply } from '../../sandbox/graph/hostileGraph.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';
import { callTool } from '../support/toolCalls.js';

let stack: TestStack;
let adele: McpClient;
useConnectedStack((connected) => ({ stack, adele } = connected));
beforeAll(async () => {
  // Listing first makes the SDK's client check every later result's structuredContent against the tool's output schema.
  await adele.listTools();
});
beforeEach(() => {
  stack.graph.hostile.length = 0;
});

/** Graph answers the next request to `path` with `body`. */
function graphAnswers(path: RegExp, body: unknown): void {
  stack.graph.hostile.push({ ...rawReply(200, JSON.stringify(body)), path, times: 1 });
}

/** Every JSON pointer in `value` that holds null. */
function nullsIn(value: unknown, at = ''): string[] {
  if (value === null) return [at];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullsIn(item, `${at}/${index}`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => nullsIn(item, `${at}/${key}`));
  return [];
}

function succeeded(result: CallToolResult): Record<string, unknown> {
  expect(result.isError, JSON.stringify(result)).toBeFalsy();
  expect(nullsIn(result.structuredContent)).toEqual([]);
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

describe('fields Graph answers as null', () => {
  it('are left out of a listed message, and the text still reads', async () => {
    const nothing = { subject: null, from: null, receivedDateTime: null, isRead: null, hasAttachments: null, importance: null, bodyPreview: null, webLink: null };
    graphAnswers(/^\/me\/mailFolders\/inbox\/messages$/, { value: [{ id: 'AAMk-null', ...nothing }, { id: 'AAMk-sender', ...nothing, from: { emailAddress: { name: null, address: 'lee@contoso.example' } } }] });
    const result = await callTool(adele, 'list_messages', {});
    const { messages } = succeeded(result) as { messages: unknown[] };
    expect(messages).toEqual([{ id: 'AAMk-null' }, { id: 'AAMk-sender', from: { address: 'lee@contoso.example' } }]);
    expect((result.content[0] as { text: string }).text).toContain('(no subject)');
  });

  it('are left out of a message read whole, its recipients and attachments too', async () => {
    graphAnswers(/^\/me\/messages\/AAMk-read$/, {
      id: 'AAMk-read', subject: null, from: null, receivedDateTime: null, isRead: null, importance: null, webLink: null,
      toRecipients: [{ emailAddress: { name: null, address: 'alex@contoso.example' } }], ccRecipients: null,
      body: { contentType: 'text', content: 'Hello' },
      attachments: [{ name: 'plan.docx', contentType: null, size: null, isInline: null }],
    });
    expect(succeeded(await callTool(adele, 'get_message', { id: 'AAMk-read' }))).toEqual({
      id: 'AAMk-read', to: [{ address: 'alex@contoso.example' }], cc: [], body: 'Hello', bodyLength: 5, truncated: false, attachments: [{ name: 'plan.docx' }],
    });
  });

  it('are left out of the profile whoami reads', async () => {
    graphAnswers(/^\/me$/, { displayName: 'Adele Vance', mail: null, jobTitle: null, officeLocation: null, preferredLanguage: null });
    const { profile } = succeeded(await callTool(adele, 'whoami', {}));
    expect(profile).toEqual({ displayName: 'Adele Vance' });
  });
});
