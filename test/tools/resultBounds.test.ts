// A tool result stays bounded whatever Graph puts in a field: huge fields are cut, huge pages refused.
import type { McpClient } from '../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_FIELD_CHARS, MAX_RESULT_TEXT_CHARS, MAX_STRUCTURED_CHARS } from '../../shared/tools/boundResult.js';
import { MAX_JSON_BYTES } from '../../shared/graph/readResponse.js';
import { rawReply } from '../../sandbox/graph/hostileGraph.js';
import { callTool, errorCode } from '../support/toolCalls.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';

let stack: TestStack;
let adele: McpClient;
useConnectedStack((connected) => ({ stack, adele } = connected));
beforeEach(() => {
  stack.graph.hostile.length = 0;
});

/** Graph answers the inbox listing with `messages`, as one JSON page. */
function inboxAnswers(messages: readonly Record<string, unknown>[]): void {
  const body = JSON.stringify({ value: messages });
  expect(body.length).toBeLessThan(MAX_JSON_BYTES);
  stack.graph.hostile.push({ ...rawReply(200, body), path: /^\/me\/mailFolders\/inbox\/messages$/, times: 1 });
}

const message = (index: number, subject: string) => ({ id: `AAMk-${index}`, subject, bodyPreview: 'preview', receivedDateTime: '2025-03-10T09:00:00Z' });
const size = (result: CallToolResult) => JSON.stringify(result).length;

describe('tool results', () => {
  it('cut a 3 MB field to the field limit, in the structured content and in the text', async () => {
    inboxAnswers([message(1, `Huge ${'x'.repeat(3_000_000)}`)]);
    const result = await callTool(adele, 'list_messages', {});
    expect(result.isError).toBeFalsy();
    const [summary] = (result.structuredContent as { messages: { subject: string }[] }).messages;
    expect(summary?.subject).toHaveLength(MAX_FIELD_CHARS);
    expect(summary?.subject.startsWith('Huge x')).toBe(true);
    expect(size(result)).toBeLessThan(MAX_FIELD_CHARS + MAX_RESULT_TEXT_CHARS + 10_000);
  });

  it('cut a long text rendering and say so', async () => {
    inboxAnswers(Array.from({ length: 40 }, (_, index) => message(index, `Subject ${index} ${'y'.repeat(10_000)}`)));
    const result = await callTool(adele, 'list_messages', { top: 50 });
    expect(result.isError).toBeFalsy();
    const text = (result.content[0] as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(MAX_RESULT_TEXT_CHARS + 100);
    expect(text.endsWith(`[cut at ${MAX_RESULT_TEXT_CHARS} characters]`)).toBe(true);
    expect((result.structuredContent as { messages: unknown[] }).messages).toHaveLength(40);
  });

  it('refuse a page whose fields together pass the limit, with too_large', async () => {
    inboxAnswers(Array.from({ length: 50 }, (_, index) => message(index, 'z'.repeat(MAX_FIELD_CHARS - 10))));
    expect(50 * MAX_FIELD_CHARS).toBeGreaterThan(MAX_STRUCTURED_CHARS);
    const result = await callTool(adele, 'list_messages', { top: 50 });
    expect(errorCode(result)).toBe('too_large');
    expect(size(result)).toBeLessThan(2000);
  });

  it('leave ordinary results as they are', async () => {
    const result = await callTool(adele, 'list_messages', { top: 5 });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { messages: unknown[] }).messages).toHaveLength(5);
    expect((result.content[0] as { text: string }).text).not.toContain('[cut at');
  });
});
