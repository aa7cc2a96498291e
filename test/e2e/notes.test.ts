// The OneNote tools over a real MCP client and HTTP: notebooks with sections, pages, reading a page as text, caps and isolation.
import type { McpClient } from '../support/mcpClient.js';
import { describe, expect, it } from 'vitest';
import { listNotebooks } from '../../shared/tools/notes/listNotebooks.js';
import { listPages } from '../../shared/tools/notes/listPages.js';
import { MAX_PAGE_CHARS, readPage } from '../../shared/tools/notes/readPage.js';
import { ARCHIVED_PAGES } from '../../sandbox/graph/notesRoutes.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';
import { callTool, connectAs, errorCode, expectListed, READ_ONLY, structured } from '../support/toolCalls.js';
import { walkPages } from '../tools/files/filesTestKit.js';
import { graphRequestsSince } from '../tools/mail/mailTestKit.js';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
let megan: McpClient;
useConnectedStack((connected) => ({ stack, adele, alex, megan } = connected));

const sectionId = (user: SampleUser, slug: string) => `${user.key}-section-${slug}`;
const pageId = (user: SampleUser, slug: string) => `${user.key}-page-${slug}`;

describe('tools/list and least privilege', () => {
  it('lists the three OneNote tools, read-only', async () => {
    await expectListed(adele, Object.fromEntries(['list_notebooks', 'list_pages', 'read_page'].map((name) => [name, READ_ONLY])));
  });

  it.each([
    ['list_notebooks', {}],
    ['list_pages', { sectionId: sectionId(ADELE, 'meetings') }],
    ['read_page', { pageId: pageId(ADELE, 'q3-review') }],
  ] as const)('%s asks the OBO exchange for Notes.Read only', async (name, args) => {
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const result = await callTool(client, name, args);
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes)).toEqual([['Notes.Read']]);
  });
});

describe('list_notebooks', () => {
  it('lists notebooks with their sections, grouped sections by their group, in one request', async () => {
    const before = stack.graph.requests.length;
    const { notebooks } = structured(listNotebooks, await callTool(adele, 'list_notebooks'));
    expect(notebooks.map((notebook) => [notebook.displayName, notebook.sections.map((section) => section.displayName)])).toEqual([
      ['Work', ['Meetings', 'Archive', 'Projects / Launch']],
      ['Personal', ['Recipes']],
    ]);
    expect(notebooks[0]?.sections.map((section) => section.id)).toEqual([sectionId(ADELE, 'meetings'), sectionId(ADELE, 'archive'), sectionId(ADELE, 'launch')]);
    expect(notebooks[0]?.webUrl).toMatch(/^https:\/\//);
    const requests = graphRequestsSince(stack, before);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query.get('$expand')).toBe('sections($select=id,displayName),sectionGroups($select=id,displayName;$expand=sections($select=id,displayName))');
    expect(requests[0]?.query.get('$select')).toBe('id,displayName,lastModifiedDateTime,links');
  });

  it('shows each user their own notebooks only', async () => {
    for (const [client, user] of [[alex, ALEX], [megan, MEGAN]] as const) {
      const { notebooks } = structured(listNotebooks, await callTool(client, 'list_notebooks'));
      expect(notebooks.flatMap((notebook) => [notebook.id, ...notebook.sections.map((section) => section.id)]).every((id) => id.startsWith(`${user.key}-`))).toBe(true);
    }
  });
});

describe('list_pages', () => {
  it('lists a section\'s pages, most recently changed first', async () => {
    const before = stack.graph.requests.length;
    const { pages } = structured(listPages, await callTool(adele, 'list_pages', { sectionId: sectionId(ADELE, 'meetings') }));
    expect(pages.map((entry) => entry.id)).toEqual(['q3-review', 'handbook', 'scan'].map((slug) => pageId(ADELE, slug)));
    expect(pages[0]).toMatchObject({ title: 'Q3 review (adele)', webUrl: expect.stringMatching(/^https:\/\//) as string });
    const [request] = graphRequestsSince(stack, before);
    expect(request?.query.get('$select')).toBe('id,title,createdDateTime,lastModifiedDateTime,links');
    expect(request?.query.get('$orderby')).toBe('lastModifiedDateTime desc');
  });

  it('pages through 120 pages with no duplicates or gaps, and binds the cursor to its section', async () => {
    const pages = await walkPages(adele, 'list_pages', { sectionId: sectionId(ADELE, 'archive'), top: 100 }, (result) => {
      const page = structured(listPages, result);
      return { ids: page.pages.map((entry) => entry.id), nextCursor: page.nextCursor };
    });
    expect(pages.map((page) => page.length)).toEqual([100, ARCHIVED_PAGES - 100]);
    expect(new Set(pages.flat()).size).toBe(ARCHIVED_PAGES);
    const { nextCursor } = structured(listPages, await callTool(adele, 'list_pages', { sectionId: sectionId(ADELE, 'archive'), top: 5 }));
    expect(errorCode(await callTool(adele, 'list_pages', { sectionId: sectionId(ADELE, 'meetings'), cursor: nextCursor }))).toBe('cursor_invalid');
    expect(errorCode(await callTool(adele, 'list_pages', { sectionId: sectionId(ADELE, 'archive'), top: 101 }))).toBe('input_invalid');
  });

  it('never lists another user\'s section', async () => {
    for (const client of [alex, megan]) expect(errorCode(await callTool(client, 'list_pages', { sectionId: sectionId(ADELE, 'meetings') }))).toBe('not_found');
  });
});

describe('read_page', () => {
  it('reads a page as text: title, lists and tables kept; images, scripts and markup gone', async () => {
    const page = structured(readPage, await callTool(adele, 'read_page', { pageId: pageId(ADELE, 'q3-review') }));
    expect(page).toMatchObject({ id: pageId(ADELE, 'q3-review'), title: 'Q3 review (adele)', truncated: false });
    expect(page.text).toContain('Decisions for the adele Q3 review:');
    expect(page.text).toContain('* Open two stores');
    expect(page.text).toMatch(/West\s+12%/);
    expect(page.text).not.toMatch(/track\(\)|<|resources\/1|Q3 review \(adele\)\n/);
  });

  it(`cuts a long page at ${MAX_PAGE_CHARS} characters and says so`, async () => {
    const result = await callTool(adele, 'read_page', { pageId: pageId(ADELE, 'handbook') });
    const page = structured(readPage, result);
    expect(page.truncated).toBe(true);
    expect(page.text.length).toBe(MAX_PAGE_CHARS);
    expect(JSON.stringify(result.content)).toContain(`[truncated at ${MAX_PAGE_CHARS} characters]`);
  });

  it('refuses a page whose HTML is larger than it reads', async () => {
    expect(errorCode(await callTool(alex, 'read_page', { pageId: pageId(ALEX, 'scan') }))).toBe('too_large');
  });

  it('never reads another user\'s page, and refuses paths as ids', async () => {
    for (const client of [alex, megan]) {
      const result = await callTool(client, 'read_page', { pageId: pageId(ADELE, 'q3-review') });
      expect(errorCode(result)).toBe('not_found');
      expect(JSON.stringify(result)).not.toContain('Open two stores');
    }
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'read_page', { pageId: '../../me/messages' }))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });
});
