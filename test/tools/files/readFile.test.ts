// read_file over a real MCP client and HTTP: every supported format, the size and text caps, and the token-free download.
import type { McpClient } from '../../support/mcpClient.js';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MAX_TEXT_CHARS, readFile } from '../../../shared/tools/files/readFile.js';
import { MAX_DOCX_INFLATED_BYTES, MAX_DOCX_PART_BYTES } from '../../../shared/documents/formats/docx/unpackDocx.js';
import { buildDocx, LARGE_FILE_BYTES } from '../../../sandbox/graph/filesRoutes.js';
import type { StoredDriveItem } from '../../../sandbox/graph/userData.js';
import { ADELE, ALEX } from '../../../sandbox/sampleUsers.js';
import { redirectReply, startForeignHost, streamReply } from '../../../sandbox/graph/hostileGraph.js';
import { testTls, type TestStack } from '../../support/testStack.js';
import { useConnectedStack } from '../../support/connectedStack.js';
import { callTool, errorCode, itemAt, structured } from './filesTestKit.js';
import { buildPdf, buildPptx, buildXlsx } from '../../../sandbox/graph/officeFiles.js';
import { deflatedZeros, docxWith } from './zipBombs.js';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
useConnectedStack((connected) => ({ stack, adele, alex } = connected));

const read = async (client: McpClient, path: string, user = ADELE) => callTool(client, 'read_file', { itemId: itemAt(stack, user, path).id });
/** Requests the local Graph saw for one item's content, and for download URLs, since `from`. */
const contentRequests = (from: number, item: StoredDriveItem) => stack.graph.requests.slice(from).filter((request) => request.path.includes(`/items/${item.id}/content`));
const downloadRequests = (from: number) => stack.graph.requests.slice(from).filter((request) => request.path.startsWith('/download/'));

describe('read_file formats', () => {
  it.each([
    ['Documents/Notes.txt', 'text', ['Meeting notes kept by Adele Vance.', 'adele-txt-notes']],
    ['Documents/Reports/Summary.md', 'markdown', ['# Summary', 'adele-md-summary']],
    ['Documents/Reports/Budget.csv', 'csv', ['region,owner,budget', 'North,Adele Vance,12000']],
    ['Documents/Settings.json', 'json', ['"reference": "adele-json-settings"']],
    ['Documents/Contract.pdf', 'pdf', ['## Page 1', 'Service contract']],
    ['Documents/Feed.xml', 'xml', ['<title>Adele Vance feed</title>']],
    ['Documents/Reports/Quarterly Report.docx', 'docx', ['Quarterly report', 'Prepared by Adele Vance.', 'adele-docx-7421']],
  ] as const)('%s reads as %s', async (path, format, expected) => {
    const item = itemAt(stack, ADELE, path);
    const result = structured(readFile, await read(adele, path));
    expect(result).toMatchObject({ id: item.id, name: item.name, size: item.size, webUrl: item.webUrl, mimeType: item.file?.mimeType, format, truncated: false });
    for (const text of expected) expect(result.text).toContain(text);
    expect(result.text).not.toContain('alex');
  });

  it('strips HTML to its text, without scripts, styles or images', async () => {
    const result = structured(readFile, await read(adele, 'Documents/Team Page.html'));
    expect(result.format).toBe('html');
    expect(result.text).toContain('adele-html-team');
    expect(result.text?.toLowerCase()).toContain('team of adele vance');
    expect(result.text).not.toMatch(/<[a-z!/]|secret|color: red|x\.png/i);
  });

  it('returns metadata and the link, without downloading, for types it cannot extract', async () => {
    for (const path of ['Pictures/Logo.png']) {
      const item = itemAt(stack, ADELE, path);
      const before = stack.graph.requests.length;
      const result = await read(adele, path);
      expect(structured(readFile, result)).toEqual({ id: item.id, name: item.name, size: item.size, webUrl: item.webUrl, mimeType: item.file?.mimeType, truncated: false });
      expect(result.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining(item.webUrl ?? '-') as string })]);
      expect(contentRequests(before, item)).toEqual([]);
    }
  });
});

describe('read_file limits', () => {
  it('refuses a file above the size cap before downloading it', async () => {
    const item = itemAt(stack, ADELE, 'Documents/Large Dataset.csv');
    expect(item.size).toBe(LARGE_FILE_BYTES);
    expect(LARGE_FILE_BYTES).toBeGreaterThan(MAX_FILE_BYTES);
    const before = stack.graph.requests.length;
    const result = await read(adele, 'Documents/Large Dataset.csv');
    expect(errorCode(result)).toBe('too_large');
    expect(JSON.stringify(result.content)).toContain(String(LARGE_FILE_BYTES));
    expect(JSON.stringify(result.content)).toContain(String(MAX_FILE_BYTES));
    expect(contentRequests(before, item)).toEqual([]);
  });

  it('cuts long text and says so', async () => {
    const result = structured(readFile, await read(adele, 'Documents/Handbook.txt'));
    expect(result.truncated).toBe(true);
    expect(result.text).toHaveLength(MAX_TEXT_CHARS);
    expect(result.text?.startsWith('Handbook of Adele Vance')).toBe(true);
  });

  it('answers bad_request for a folder and unreadable for a damaged .docx', async () => {
    expect(errorCode(await read(adele, 'Documents/Reports'))).toBe('bad_request');
    expect(errorCode(await read(adele, 'Documents/Reports/Broken.docx'))).toBe('unreadable');
  });

  /** Runs `body` with `content` stored as a .docx in Adele's Documents/Reports. */
  async function withDocx(content: Buffer, body: (id: string) => Promise<void>): Promise<void> {
    return withFile('Bomb.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content, body);
  }

  /** Runs `body` with `content` stored as `name` in Adele's Documents/Reports. */
  async function withFile(name: string, mimeType: string, content: Buffer, body: (id: string) => Promise<void>): Promise<void> {
    const reports = itemAt(stack, ADELE, 'Documents/Reports');
    const data = stack.graph.dataOf(ADELE);
    const file: StoredDriveItem = {
      id: '01ADELEBOMB',
      name,
      size: content.length,
      file: { mimeType },
      webUrl: 'https://contoso-my.sharepoint.com/bomb',
      parentReference: reports.parentReference,
      parentId: reports.id,
      content,
    };
    data.driveItems.push(file);
    try {
      await body(file.id);
    } finally {
      data.driveItems.splice(data.driveItems.indexOf(file), 1);
    }
  }

  it('refuses a .docx whose parts declare more than the limit, without unpacking it', async () => {
    const zip = await buildDocx(['Bomb']);
    // Declare a huge uncompressed size in every central directory entry.
    for (let offset = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); offset !== -1; offset = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), offset + 4)) {
      zip.writeUInt32LE(0x7fffffff, offset + 24);
    }
    await withDocx(zip, async (itemId) => {
      expect(errorCode(await callTool(adele, 'read_file', { itemId }))).toBe('too_large');
    });
  });

  it('refuses a .docx whose directory declares 1,000 bytes for a part that inflates to 1 GiB, without inflating it', async () => {
    const bomb = await docxWith([{ name: 'word/document.xml', data: deflatedZeros(1024), method: 8, declaredSize: 1000 }]);
    expect(bomb.length).toBeLessThan(MAX_FILE_BYTES);
    await withDocx(bomb, async (itemId) => {
      const peakBefore = process.resourceUsage().maxRSS;
      expect(errorCode(await callTool(adele, 'read_file', { itemId }))).toBe('too_large');
      // maxRSS is the process's peak, in KiB: inflating the part whole would have raised it by a GiB.
      expect((process.resourceUsage().maxRSS - peakBefore) * 1024).toBeLessThan(MAX_DOCX_INFLATED_BYTES * 3);
    });
  });

  it('refuses a .docx whose XML parts, each under the part limit, inflate beyond the limit in all', async () => {
    const parts = ['a', 'b', 'c'].map((letter) => ({ name: `word/${letter}.xml`, data: deflatedZeros(5), method: 8 as const, declaredSize: 1000 }));
    expect(5 * 1024 * 1024).toBeLessThan(MAX_DOCX_PART_BYTES);
    expect(3 * 5 * 1024 * 1024).toBeGreaterThan(MAX_DOCX_INFLATED_BYTES);
    await withDocx(await docxWith(parts), async (itemId) => {
      expect(errorCode(await callTool(adele, 'read_file', { itemId }))).toBe('too_large');
    });
  });

  it('reads a .docx whatever its images and embedded files inflate to: only XML parts are unpacked', async () => {
    const parts = ['a', 'b', 'c'].map((letter) => ({ name: `word/media/${letter}.bin`, data: deflatedZeros(1024), method: 8 as const, declaredSize: 1000 }));
    await withDocx(await docxWith(parts), async (itemId) => {
      const peakBefore = process.resourceUsage().maxRSS;
      expect(structured(readFile, await callTool(adele, 'read_file', { itemId })).text).toContain('A document with a bomb inside.');
      expect((process.resourceUsage().maxRSS - peakBefore) * 1024).toBeLessThan(MAX_DOCX_INFLATED_BYTES * 3);
    });
  });

  it('reads a .docx whose parts are stored rather than deflated', async () => {
    await withDocx(await docxWith([]), async (itemId) => {
      expect(structured(readFile, await callTool(adele, 'read_file', { itemId })).text).toContain('A document with a bomb inside.');
    });
  });

  it('reads HTML nested far deeper than any page, without overflowing the stack', async () => {
    const depth = 10_000;
    const html = Buffer.from(`<html><body>${'<div>'.repeat(depth)}deep-html-end${'</div>'.repeat(depth)}</body></html>`);
    await withFile('Deep.html', 'text/html', html, async (itemId) => {
      const result = structured(readFile, await callTool(adele, 'read_file', { itemId }));
      expect(result.format).toBe('html');
    });
  });

  it.each([
    ['Plan.xlsx', 'application/octet-stream', 'xlsx', async () => buildXlsx([{ name: 'Plan', rows: [['Store', 'Opens'], ['Seattle', 'June']] }]), '## Plan\n1: Store | Opens\n2: Seattle | June'],
    ['Deck.pptx', 'application/octet-stream', 'pptx', async () => buildPptx([{ paragraphs: ['Kick-off'], notes: ['Welcome everyone'] }]), '## Slide 1\nKick-off\nNotes: Welcome everyone'],
    ['Scan.pdf', 'application/pdf', 'pdf', async () => Promise.resolve(buildPdf([['Signed contract']])), '## Page 1\nSigned contract'],
  ] as const)('reads %s by its extension as %s in the document worker', async (name, mimeType, format, build, expected) => {
    await withFile(name, mimeType, await build(), async (itemId) => {
      const result = structured(readFile, await callTool(adele, 'read_file', { itemId }));
      expect(result).toMatchObject({ format, text: expected, truncated: false });
    });
  });

  it('answers too_large for a workbook bomb, through the tool', async () => {
    const bomb = await docxWith([{ name: 'xl/workbook.xml', data: deflatedZeros(1024), method: 8, declaredSize: 1000 }]);
    await withFile('Bomb.xlsx', 'application/octet-stream', bomb, async (itemId) => {
      expect(errorCode(await callTool(adele, 'read_file', { itemId }))).toBe('too_large');
    });
  });

  it('refuses ids that are paths', async () => {
    expect(errorCode(await callTool(adele, 'read_file', { itemId: '../../me' }))).toBe('input_invalid');
    expect(errorCode(await callTool(adele, 'read_file', { itemId: '' }))).toBe('input_invalid');
  });
});

describe('read_file download', () => {
  it('follows Graph\'s redirect to the download URL without sending the token there', async () => {
    const item = itemAt(stack, ADELE, 'Documents/Notes.txt');
    const before = stack.graph.requests.length;
    structured(readFile, await read(adele, 'Documents/Notes.txt'));
    const metadata = stack.graph.requests.slice(before).find((request) => request.path.endsWith(`/me/drive/items/${item.id}`));
    expect(new URL(metadata?.url ?? '', stack.graph.url).searchParams.get('$select')).toBe('id,name,size,file,webUrl');
    const [content] = contentRequests(before, item);
    expect(content).toMatchObject({ status: 302, oid: ADELE.oid });
    expect(content?.authorization).toMatch(/^Bearer /);
    const downloads = downloadRequests(before);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ method: 'GET', status: 200, authorization: undefined });
  });

  it('refuses a download that passes the cap while it streams, whatever the metadata said', async () => {
    const item = itemAt(stack, ADELE, 'Documents/Notes.txt');
    expect(item.size).toBeLessThan(MAX_FILE_BYTES);
    const endless = streamReply({ headers: { 'content-type': 'text/plain' } });
    stack.graph.hostile.push({ ...endless, path: new RegExp(`/items/${item.id}/content$`), times: 1 });
    const result = await read(adele, 'Documents/Notes.txt');
    expect(errorCode(result)).toBe('too_large');
    expect(JSON.stringify(result.content)).toContain(String(MAX_FILE_BYTES));
    expect(endless.written?.()).toBeLessThan(4 * MAX_FILE_BYTES);
  });

  it('refuses a download whose Content-Length is over the cap before reading it', async () => {
    const item = itemAt(stack, ADELE, 'Documents/Notes.txt');
    const declared = streamReply({ headers: { 'content-type': 'text/plain', 'content-length': String(MAX_FILE_BYTES + 1) } });
    stack.graph.hostile.push({ ...declared, path: new RegExp(`/items/${item.id}/content$`), times: 1 });
    expect(errorCode(await read(adele, 'Documents/Notes.txt'))).toBe('too_large');
    // Read, the declared bytes would all have been sent; refused on the header, hardly any were.
    expect(declared.written?.()).toBeLessThan(MAX_FILE_BYTES);
  });

  it('caps an endless download from the download host too, and sends it no token', async () => {
    const item = itemAt(stack, ADELE, 'Documents/Notes.txt');
    const host = await startForeignHost({ tls: testTls() });
    try {
      const endless = streamReply({ headers: { 'content-type': 'text/plain' } });
      host.answer = (_request, response) => endless.send(response, new URL(host.url));
      stack.graph.hostile.push({ ...redirectReply(`${host.url}/download/endless`), path: new RegExp(`/items/${item.id}/content$`), times: 1 });
      expect(errorCode(await read(adele, 'Documents/Notes.txt'))).toBe('too_large');
      expect(host.requests).toEqual([{ method: 'GET', path: '/download/endless', authorization: undefined }]);
    } finally {
      await host.close();
    }
  });

  it('reads only the caller\'s files: another user\'s id is not_found and never reaches a download', async () => {
    const before = stack.graph.requests.length;
    expect(errorCode(await read(alex, 'Documents/Reports/Quarterly Report.docx'))).toBe('not_found');
    expect(downloadRequests(before)).toEqual([]);
    const own = structured(readFile, await read(alex, 'Documents/Reports/Quarterly Report.docx', ALEX));
    expect(own.text).toContain('alex-docx-7421');
    expect(own.text).not.toContain('adele');
  });
});
