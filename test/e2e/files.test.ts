// The files and sites tools over a real MCP client and HTTP: listing, paging, search, sites, isolation and least privilege.
import type { McpClient } from '../support/mcpClient.js';
import { describe, expect, it } from 'vitest';
import { listDriveItems } from '../../shared/tools/files/listDriveItems.js';
import { listSites } from '../../shared/tools/files/listSites.js';
import { readFile } from '../../shared/tools/files/readFile.js';
import { searchFiles } from '../../shared/tools/files/searchFiles.js';
import { ARCHIVE_SIZE } from '../../sandbox/graph/filesRoutes.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { expectListed, READ_ONLY } from '../support/toolCalls.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';
import { callTool, childrenIn, connectAs, errorCode, itemAt, structured, walkPages } from '../tools/files/filesTestKit.js';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
let megan: McpClient;
useConnectedStack((connected) => ({ stack, adele, alex, megan } = connected));

const sitesOf = (user: SampleUser) => stack.graph.dataOf(user).sites;

describe('tools/list', () => {
  it('lists the four files tools, read-only, with titles, output schemas and short descriptions', async () => {
    await expectListed(adele, Object.fromEntries(['search_files', 'list_drive_items', 'read_file', 'list_sites'].map((name) => [name, READ_ONLY])));
  });
});

describe('least privilege', () => {
  it.each([
    ['search_files', () => ({ query: 'notes' }), ['Files.Read.All']],
    ['list_drive_items', () => ({ path: 'Documents' }), ['Files.Read.All']],
    ['read_file', () => ({ itemId: itemAt(stack, ADELE, 'Documents/Notes.txt').id }), ['Files.Read.All']],
    ['list_sites', () => ({}), ['Sites.Read.All']],
  ] as const)('%s asks the OBO exchange for exactly its scopes', async (name, args, scopes) => {
    // A fresh token: MSAL answers a repeated (assertion, scopes) pair from its cache without an exchange.
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const result = await callTool(client, name, args());
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.length).toBe(obo + 1);
    expect(stack.idp.oboRequests.at(-1)?.scopes).toEqual(scopes);
  });
});

describe('list_drive_items', () => {
  it('lists the OneDrive root, folders first, with only the selected fields requested', async () => {
    const before = stack.graph.requests.length;
    const { items, nextCursor } = structured(listDriveItems, await callTool(adele, 'list_drive_items'));
    expect(nextCursor).toBeUndefined();
    expect(items.map((item) => [item.name, item.kind])).toEqual([['Documents', 'folder'], ['Pictures', 'folder']]);
    expect(items[0]?.childCount).toBe(childrenIn(stack, ADELE, itemAt(stack, ADELE, 'Documents')).length);
    const request = stack.graph.requests.slice(before).find((candidate) => candidate.path.endsWith('/me/drive/root/children'));
    expect(new URL(request?.url ?? '', stack.graph.url).searchParams.get('$select')).toBe('id,name,size,lastModifiedDateTime,webUrl,folder,file');
  });

  it('lists a folder by path, and the same folder by id', async () => {
    const reports = itemAt(stack, ADELE, 'Documents/Reports');
    const byPath = structured(listDriveItems, await callTool(adele, 'list_drive_items', { path: '/Documents/Reports/' }));
    const byId = structured(listDriveItems, await callTool(adele, 'list_drive_items', { itemId: reports.id }));
    const expected = childrenIn(stack, ADELE, reports).map((item) => item.id).sort();
    expect(byPath.items.map((item) => item.id).sort()).toEqual(expected);
    expect(byId.items).toEqual(byPath.items);
    const docx = byPath.items.find((item) => item.name === 'Quarterly Report.docx');
    expect(docx).toMatchObject({ kind: 'file', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(docx?.size).toBeGreaterThan(0);
    expect(docx?.webUrl).toMatch(/^https:\/\//);
    expect(docx?.lastModifiedDateTime).toBeTruthy();
  });

  it('encodes each path segment, so names with & and # stay names', async () => {
    const { items } = structured(listDriveItems, await callTool(adele, 'list_drive_items', { path: 'documents/r&d #1' }));
    expect(items.map((item) => item.name)).toEqual(['Ideas.txt']);
  });

  it('walks the 120-file folder page by page with no duplicates or gaps', async () => {
    const archive = itemAt(stack, ADELE, 'Documents/Archive');
    const pages = await walkPages(adele, 'list_drive_items', { path: 'Documents/Archive', top: 25 }, (result) => {
      const page = structured(listDriveItems, result);
      return { ids: page.items.map((item) => item.id), nextCursor: page.nextCursor };
    });
    const ids = pages.flat();
    expect(pages.map((page) => page.length)).toEqual([25, 25, 25, 25, 20]);
    expect(new Set(ids).size).toBe(ARCHIVE_SIZE);
    expect([...ids].sort()).toEqual(childrenIn(stack, ADELE, archive).map((item) => item.id).sort());
  });

  it('lists a SharePoint site\'s default library', async () => {
    const site = sitesOf(ADELE)[0]!;
    const { items } = structured(listDriveItems, await callTool(adele, 'list_drive_items', { siteId: site.id }));
    expect(items.map((item) => item.name)).toEqual(['General', 'Agenda.md', `${site.displayName} Plan.docx`]);
    const general = structured(listDriveItems, await callTool(adele, 'list_drive_items', { siteId: site.id, path: 'General' }));
    expect(general.items.map((item) => item.name)).toEqual(['Welcome.txt']);
  });

  it('refuses bad input before calling Graph', async () => {
    const reports = itemAt(stack, ADELE, 'Documents/Reports');
    const before = stack.graph.requests.length;
    for (const args of [
      { path: 'Documents', itemId: reports.id },
      { path: 'Documents/../..' },
      { path: 'Documents/a:b' },
      { itemId: 'root/children' },
      { siteId: '../me' },
      { top: 0 },
    ]) {
      expect(errorCode(await callTool(adele, 'list_drive_items', args)), JSON.stringify(args)).toBe('input_invalid');
    }
    expect(stack.graph.requests.length).toBe(before);
  });

  it('answers not_found for a path that does not exist', async () => {
    expect(errorCode(await callTool(adele, 'list_drive_items', { path: 'Documents/Nowhere' }))).toBe('not_found');
  });

  it('refuses cursors of another tool or another folder', async () => {
    const first = structured(listDriveItems, await callTool(adele, 'list_drive_items', { path: 'Documents/Archive', top: 10 }));
    expect(first.nextCursor).toBeDefined();
    expect(errorCode(await callTool(adele, 'list_drive_items', { path: 'Documents/Reports', cursor: first.nextCursor }))).toBe('cursor_invalid');
    expect(errorCode(await callTool(adele, 'list_sites', { cursor: first.nextCursor }))).toBe('cursor_invalid');
    const search = structured(searchFiles, await callTool(adele, 'search_files', { query: 'archived log', top: 5 }));
    expect(errorCode(await callTool(adele, 'list_drive_items', { path: 'Documents/Archive', cursor: search.nextCursor }))).toBe('cursor_invalid');
    expect(errorCode(await callTool(adele, 'list_drive_items', { cursor: 'bm90IGEgY3Vyc29y' }))).toBe('cursor_invalid');
  });
});

describe('isolation', () => {
  it('shows each user only their own drive', async () => {
    for (const [client, user] of [[adele, ADELE], [alex, ALEX], [megan, MEGAN]] as const) {
      const { items } = structured(listDriveItems, await callTool(client, 'list_drive_items', { path: 'Documents' }));
      const own = new Set(childrenIn(stack, user, itemAt(stack, user, 'Documents')).map((item) => item.id));
      expect(items.length).toBe(own.size);
      expect(items.every((item) => own.has(item.id))).toBe(true);
    }
  });

  it('answers not_found when another user asks for Adele\'s folders, files and sites', async () => {
    const reports = itemAt(stack, ADELE, 'Documents/Reports');
    const notes = itemAt(stack, ADELE, 'Documents/Notes.txt');
    const site = sitesOf(ADELE)[0]!;
    for (const client of [alex, megan]) {
      expect(errorCode(await callTool(client, 'list_drive_items', { itemId: reports.id }))).toBe('not_found');
      expect(errorCode(await callTool(client, 'read_file', { itemId: notes.id }))).toBe('not_found');
      expect(errorCode(await callTool(client, 'list_drive_items', { siteId: site.id }))).toBe('not_found');
      expect(errorCode(await callTool(client, 'read_file', { siteId: site.id, itemId: itemAt(stack, ADELE, 'Agenda.md', site.id).id }))).toBe('not_found');
    }
  });

  it('keeps a OneDrive id out of a site library and the other way round', async () => {
    const site = sitesOf(ADELE)[0]!;
    expect(errorCode(await callTool(adele, 'read_file', { siteId: site.id, itemId: itemAt(stack, ADELE, 'Documents/Notes.txt').id }))).toBe('not_found');
    expect(errorCode(await callTool(adele, 'read_file', { itemId: itemAt(stack, ADELE, 'Agenda.md', site.id).id }))).toBe('not_found');
  });
});

describe('search_files', () => {
  it('finds files by content across OneDrive and SharePoint, with the requested fields only', async () => {
    const before = stack.graph.requests.length;
    const { hits, total, nextCursor } = structured(searchFiles, await callTool(adele, 'search_files', { query: 'adele reference' }));
    expect(nextCursor).toBeUndefined();
    const names = hits.map((hit) => hit.name);
    expect(names).toEqual(expect.arrayContaining(['Notes.txt', 'Quarterly Report.docx', 'Agenda.md']));
    expect(total).toBe(hits.length);
    const agenda = hits.find((hit) => hit.name === 'Agenda.md');
    expect(sitesOf(ADELE).map((site) => site.id)).toContain(agenda?.siteId);
    const notes = hits.find((hit) => hit.name === 'Notes.txt');
    expect(notes).toMatchObject({ id: itemAt(stack, ADELE, 'Documents/Notes.txt').id, size: expect.any(Number) as number, webUrl: expect.stringMatching(/^https:/) as string });
    expect(notes?.summary).toContain('adele-txt-notes');
    expect(notes?.summary).not.toMatch(/<c0>|<ddd\/>/);
    const request = stack.graph.requests.slice(before).find((candidate) => candidate.path.endsWith('/search/query'));
    expect(request).toMatchObject({ method: 'POST', status: 200 });
  });

  it('finds each user only their own files', async () => {
    for (const [client, user, other] of [[alex, ALEX, ADELE], [megan, MEGAN, ADELE], [adele, ADELE, ALEX]] as const) {
      const { hits } = structured(searchFiles, await callTool(client, 'search_files', { query: 'quarterly report' }));
      const own = new Set(stack.graph.dataOf(user).driveItems.map((item) => item.id));
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((hit) => own.has(hit.id)), user.key).toBe(true);
      const found = structured(searchFiles, await callTool(client, 'search_files', { query: `${other.key}-docx-7421` }));
      expect(found.hits, user.key).toEqual([]);
    }
  });

  it('pages with from/size through an opaque cursor, with no duplicates or gaps', async () => {
    const pages = await walkPages(adele, 'search_files', { query: 'archived log entry', top: 50 }, (result) => {
      const page = structured(searchFiles, result);
      expect(page.total).toBe(ARCHIVE_SIZE);
      return { ids: page.hits.map((hit) => hit.id), nextCursor: page.nextCursor };
    });
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    const archive = childrenIn(stack, ADELE, itemAt(stack, ADELE, 'Documents/Archive')).map((item) => item.id);
    expect(pages.flat().sort()).toEqual(archive.sort());
  });

  it('binds its cursor to the query and the tool', async () => {
    const { nextCursor } = structured(searchFiles, await callTool(adele, 'search_files', { query: 'archived log entry', top: 10 }));
    expect(nextCursor).toBeDefined();
    expect(errorCode(await callTool(adele, 'search_files', { query: 'something else', cursor: nextCursor }))).toBe('cursor_invalid');
    const list = structured(listDriveItems, await callTool(adele, 'list_drive_items', { path: 'Documents/Archive', top: 10 }));
    expect(errorCode(await callTool(adele, 'search_files', { query: 'archived log entry', cursor: list.nextCursor }))).toBe('cursor_invalid');
  });

  it('answers an empty result for no matches, and refuses an empty query', async () => {
    expect(structured(searchFiles, await callTool(adele, 'search_files', { query: 'zzz-nothing-matches' })).hits).toEqual([]);
    expect(errorCode(await callTool(adele, 'search_files', { query: '   ' }))).toBe('input_invalid');
  });
});

describe('list_sites', () => {
  it('lists the sites a user can see, with the selected fields only', async () => {
    const before = stack.graph.requests.length;
    const { sites, nextCursor } = structured(listSites, await callTool(adele, 'list_sites'));
    expect(nextCursor).toBeUndefined();
    expect(sites).toEqual(sitesOf(ADELE).map((site) => ({ id: site.id, displayName: site.displayName, name: site.name, webUrl: site.webUrl, description: site.description })));
    const request = stack.graph.requests.slice(before).find((candidate) => candidate.path.endsWith('/sites'));
    const query = new URL(request?.url ?? '', stack.graph.url).searchParams;
    expect(query.get('search')).toBe('*');
    expect(query.get('$select')).toBe('id,displayName,name,webUrl,description');
  });

  it('searches sites by words, each user among their own', async () => {
    const { sites } = structured(listSites, await callTool(adele, 'list_sites', { query: 'brand' }));
    expect(sites.map((site) => site.displayName)).toEqual(['Brand Studio']);
    expect(structured(listSites, await callTool(alex, 'list_sites', { query: 'brand' })).sites).toEqual([]);
    const megans = structured(listSites, await callTool(megan, 'list_sites')).sites.map((site) => site.id);
    expect(megans.sort()).toEqual(sitesOf(MEGAN).map((site) => site.id).sort());
  });

  it('keeps query characters from turning into URL parameters', async () => {
    const { sites } = structured(listSites, await callTool(adele, 'list_sites', { query: 'operations & retail' }));
    expect(sites.map((site) => site.displayName)).toEqual(['Retail Operations']);
    const before = stack.graph.requests.length;
    structured(listSites, await callTool(adele, 'list_sites', { query: 'retail&$top=1#x' }));
    const request = stack.graph.requests.slice(before).find((candidate) => candidate.path.endsWith('/sites'));
    const query = new URL(request?.url ?? '', stack.graph.url).searchParams;
    expect(query.getAll('$top')).toEqual(['25']);
    expect(query.get('search')).toBe('retail&$top=1#x');
  });

  it('pages with a cursor bound to list_sites', async () => {
    const first = structured(listSites, await callTool(adele, 'list_sites', { top: 1 }));
    expect(first.sites).toHaveLength(1);
    const second = structured(listSites, await callTool(adele, 'list_sites', { top: 1, cursor: first.nextCursor }));
    expect(second.nextCursor).toBeUndefined();
    expect([...first.sites, ...second.sites].map((site) => site.id).sort()).toEqual(sitesOf(ADELE).map((site) => site.id).sort());
    expect(errorCode(await callTool(adele, 'list_drive_items', { cursor: first.nextCursor }))).toBe('cursor_invalid');
  });
});

describe('read_file (smoke; formats and limits in test/tools/files/readFile.test.ts)', () => {
  it('reads a OneDrive file and a site file', async () => {
    const notes = structured(readFile, await callTool(adele, 'read_file', { itemId: itemAt(stack, ADELE, 'Documents/Notes.txt').id }));
    expect(notes).toMatchObject({ name: 'Notes.txt', format: 'text', truncated: false });
    expect(notes.text).toContain('adele-txt-notes');
    const site = sitesOf(ADELE)[1]!;
    const agenda = structured(readFile, await callTool(adele, 'read_file', { siteId: site.id, itemId: itemAt(stack, ADELE, 'Agenda.md', site.id).id }));
    expect(agenda).toMatchObject({ name: 'Agenda.md', format: 'markdown' });
    expect(agenda.text).toContain('adele-site1-agenda');
  });
});
