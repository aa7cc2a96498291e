// Hostile documents at the largest size each tool accepts, over a real MCP client and HTTP: each is converted off the
// event loop, so another user's call completes while it converts, and it ends at its limit with a clear tool error.
import type { McpClient } from '../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { describe, expect, it, vi } from 'vitest';
import { MAX_DOCX_PART_BYTES } from '../../shared/documents/formats/docx/unpackDocx.js';
import { MAX_GRID_COLUMNS, MAX_GRID_ROWS } from '../../shared/documents/formats/html/boundedTable.js';
import { MAX_FILE_BYTES, readFile } from '../../shared/tools/files/readFile.js';
import { MAX_PAGE_BYTES, readPage } from '../../shared/tools/notes/readPage.js';
import { whoami } from '../../shared/tools/profile/whoami.js';
import { buildDocx } from '../../sandbox/graph/filesRoutes.js';
import type { StoredDriveItem } from '../../sandbox/graph/userData.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';
import { callTool, errorCode, structured } from '../support/toolCalls.js';
import { itemAt } from '../tools/files/filesTestKit.js';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
// A limit short enough for a test, long enough that a call by another user always fits inside it.
const TIME_LIMIT_MS = 4_000;
const receive = (connected: { stack: TestStack; adele: McpClient; alex: McpClient }) => ({ stack, adele, alex } = connected);

/** `unit` repeated to exactly `bytes` bytes (ASCII). */
const filled = (prefix: string, unit: string, bytes: number) => (prefix + unit.repeat(Math.ceil(bytes / unit.length))).slice(0, bytes);

/** The shapes html-to-text is superlinear on, each as a page of read_page's largest size. */
const HOSTILE_PAGES = {
  'unclosed inline tags': filled('<html><body>', '<b><i><u>x', MAX_PAGE_BYTES),
  'deep nesting': filled('<html><body>', '<div>', MAX_PAGE_BYTES),
  'a wide table': filled('<html><body><table><tr>', '<td>x</td>', MAX_PAGE_BYTES),
  'a one-column table': filled('<html><body><table>', '<tr><td>x</td></tr>', MAX_PAGE_BYTES),
} as const;

/** Serves `html` as the content of page `pageId`, once. */
function servePage(pageId: string, html: string): void {
  const bytes = Buffer.from(html, 'utf8');
  stack.graph.hostile.push({
    path: new RegExp(`/onenote/pages/${pageId}/content$`),
    times: 1,
    status: 200,
    send: (response) => response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(bytes.length) }).end(bytes),
  });
}

const served = (path: string) => stack.graph.requests.some((request) => request.path.endsWith(path));

/**
 * Starts `hostile`; once the local Graph has served its content, Alex's whoami runs to completion. Returns
 * whether the hostile call was still pending then, and its result.
 */
async function alongside(hostile: () => Promise<CallToolResult>, contentPath: string): Promise<{ pendingWhileOtherRan: boolean; result: CallToolResult }> {
  let settled = false;
  const call = hostile().finally(() => {
    settled = true;
  });
  await vi.waitFor(() => expect(served(contentPath)).toBe(true), { timeout: 15_000, interval: 10 });
  const me = structured(whoami, await callTool(alex, 'whoami'));
  expect(me.name).toBe('Alex Wilber');
  const pendingWhileOtherRan = !settled;
  return { pendingWhileOtherRan, result: await call };
}

/** Runs `body` with `content` stored as the .docx `name` in Adele's Documents/Reports. */
async function withFile(name: string, content: Buffer, body: (item: StoredDriveItem) => Promise<void>): Promise<void> {
  const reports = itemAt(stack, ADELE, 'Documents/Reports');
  const data = stack.graph.dataOf(ADELE);
  const file: StoredDriveItem = {
    id: '01ADELEHUGEXML',
    name,
    size: content.length,
    file: { mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    webUrl: 'https://contoso-my.sharepoint.com/huge',
    parentReference: reports.parentReference,
    parentId: reports.id,
    content,
  };
  data.driveItems.push(file);
  try {
    await body(file);
  } finally {
    data.driveItems.splice(data.driveItems.indexOf(file), 1);
  }
}

describe('a hostile document holds one worker until its limit, never the instance', () => {
  useConnectedStack(receive, { app: { documents: { timeLimitMs: TIME_LIMIT_MS } } });

  it.each(['unclosed inline tags', 'deep nesting'] as const)('%s: another user\'s call completes while it converts; it stops at its time limit with conversion_timeout', async (shape) => {
    const html = HOSTILE_PAGES[shape];
    expect(Buffer.byteLength(html)).toBe(MAX_PAGE_BYTES);
    const pageId = `hostile-${shape.replaceAll(' ', '-')}`;
    servePage(pageId, html);
    const { pendingWhileOtherRan, result } = await alongside(() => callTool(adele, 'read_page', { pageId }), `/pages/${pageId}/content`);
    expect(pendingWhileOtherRan).toBe(true);
    expect(errorCode(result)).toBe('conversion_timeout');
    expect(JSON.stringify(result.content)).toMatch(/took longer than 4 seconds to convert[\s\S]*open it in its app/);
  }, 30_000);

  it('a document.xml of the largest size unpacked: another user\'s call completes while mammoth reads it; it stops at a limit with a clear error', async () => {
    const paragraph = 'Revenue grew in every region this quarter.';
    const paragraphXml = `<w:p><w:r><w:t xml:space="preserve">${paragraph}</w:t></w:r></w:p>`.length;
    const docx = await buildDocx(Array<string>(Math.floor((MAX_DOCX_PART_BYTES - 1024) / paragraphXml)).fill(paragraph));
    expect(docx.length).toBeLessThan(MAX_FILE_BYTES);
    await withFile('Huge.docx', docx, async (item) => {
      const { pendingWhileOtherRan, result } = await alongside(() => callTool(adele, 'read_file', { itemId: item.id }), `/items/${item.id}/content`);
      expect(pendingWhileOtherRan).toBe(true);
      // Whichever limit it reaches first: its time, or its worker's heap.
      expect(['conversion_timeout', 'too_complex']).toContain(errorCode(result));
      expect(JSON.stringify(result.content)).toContain('open it in its app');
    });
  }, 30_000);
});

describe('tables', () => {
  // The time a table takes is not the subject here: a shared, loaded machine gets room.
  useConnectedStack(receive, { app: { documents: { timeLimitMs: 30_000 } } });

  it.each(['a wide table', 'a one-column table'] as const)('%s: laid out one line per row rather than as a grid, so it converts in linear time; another user\'s call completes meanwhile', async (shape) => {
    const html = HOSTILE_PAGES[shape];
    expect(Buffer.byteLength(html)).toBe(MAX_PAGE_BYTES);
    // One per worker, at once: what one agent's parallel calls would do.
    const pageIds = Array.from({ length: 2 }, (_, index) => `hostile-${shape.replaceAll(' ', '-')}-${index}`);
    for (const pageId of pageIds) servePage(pageId, html);
    const { pendingWhileOtherRan, result } = await alongside(async () => {
      const results = await Promise.all(pageIds.map((pageId) => callTool(adele, 'read_page', { pageId })));
      for (const one of results) expect(one.isError, JSON.stringify(one).slice(0, 500)).toBeFalsy();
      return results[0]!;
    }, `/pages/${pageIds[0]}/content`);
    expect(pendingWhileOtherRan).toBe(true);
    const page = structured(readPage, result);
    expect(page.truncated).toBe(true);
    const lines = page.text.split('\n');
    if (shape === 'a wide table') expect(lines[0]).toMatch(/^x \| x \| x \| x/);
    else expect(lines.slice(0, 3)).toEqual(['x', 'x', 'x']);
  }, 60_000);

  it(`lays out up to ${MAX_GRID_ROWS} rows and ${MAX_GRID_COLUMNS} columns as a grid, and a larger table one line per row`, async () => {
    const row = (cells: number, text: (index: number) => string) => `<tr>${Array.from({ length: cells }, (_, index) => `<td>${text(index)}</td>`).join('')}</tr>`;
    const grid = `<table>${row(2, (index) => ['Region', 'Sales'][index] ?? '')}${row(2, (index) => ['West', '12%'][index] ?? '')}</table>`;
    const wide = `<table>${row(MAX_GRID_COLUMNS + 1, (index) => `c${index}`)}</table>`;
    servePage('tables', `<html><body>${grid}<p>between</p>${wide}</body></html>`);
    const page = structured(readPage, await callTool(adele, 'read_page', { pageId: 'tables' }));
    expect(page.text).toMatch(/Region\s{3,}Sales\nWest\s{3,}12%/);
    expect(page.text).toContain(Array.from({ length: MAX_GRID_COLUMNS + 1 }, (_, index) => `c${index}`).join(' | '));
  });

  it('holds a cell\'s spans inside the grid, whatever its attributes say', async () => {
    // Laid out as given, this cell alone would fill a billion rows of three columns.
    servePage('spans', '<html><body><table><tr><td colspan="3" rowspan="1000000000">spanned</td><td>next</td></tr><tr><td>below</td></tr></table></body></html>');
    const page = structured(readPage, await callTool(adele, 'read_page', { pageId: 'spans' }));
    expect(page.text).toMatch(/^spanned\s+next\n\s+below$/);
  });

  it('a .docx of ordinary size still reads', async () => {
    expect(structured(readFile, await callTool(adele, 'read_file', { itemId: itemAt(stack, ADELE, 'Documents/Reports/Quarterly Report.docx').id })).text).toContain('Quarterly report');
  });
});
