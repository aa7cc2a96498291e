// Local Graph: OneNote notebooks (with expanded sections), section pages and page HTML, per user, and sample notebooks.
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page, select } from './odata.js';
import { checkTop, decodeParam } from './pageSize.js';
import type { StoredNotebook, StoredPage, StoredSection, UserData } from './userData.js';

const READ = ['Notes.Read', 'Notes.ReadWrite', 'Notes.Read.All', 'Notes.ReadWrite.All'];
/** Pages in each user's "Archive" section, for paging. */
export const ARCHIVED_PAGES = 120;
/** The HTML size of the page read_page must refuse. */
export const OVERSIZE_PAGE_BYTES = 5 * 1024 * 1024;

const notFound = (): GraphReply => graphError(404, '20102', 'The specified resource ID does not exist.');
const badExpand = (expand: string): GraphReply => graphError(400, '20129', `The expand query parameter '${expand}' is not valid.`);

// ---- $expand on notebooks: sections and sectionGroups, each with its own $select and one nested $expand ----

interface Expansion {
  readonly property: string;
  readonly select: URLSearchParams;
  readonly expand: Expansion[];
}

/** Splits at `separator` outside parentheses. */
function splitTop(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth < 0) return undefined;
    if (char === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  return depth === 0 ? [...parts, current] : undefined;
}

function parseExpand(text: string, level = 0): Expansion[] | undefined {
  if (level > 2) return undefined;
  const items = splitTop(text, ',');
  if (items === undefined) return undefined;
  const expansions: Expansion[] = [];
  for (const item of items.map((part) => part.trim())) {
    const match = /^(sections|sectionGroups)(?:\((.*)\))?$/s.exec(item);
    if (match === null) return undefined;
    const select = new URLSearchParams();
    let nested: Expansion[] = [];
    for (const option of splitTop(match[2] ?? '', ';') ?? []) {
      const [name, value = ''] = [option.slice(0, option.indexOf('=')), option.slice(option.indexOf('=') + 1)];
      if (option.trim() === '') continue;
      if (name === '$select') select.set('$select', value);
      else if (name === '$expand') {
        const parsed = parseExpand(value, level + 1);
        if (parsed === undefined) return undefined;
        nested = parsed;
      } else return undefined;
    }
    expansions.push({ property: match[1] ?? '', select, expand: nested });
  }
  return expansions;
}

function presentSection(section: StoredSection): Record<string, unknown> & { id: string } {
  const { pages: _pages, ...rest } = section;
  return rest;
}

function expandInto(entity: { sections: StoredSection[]; sectionGroups?: StoredNotebook['sectionGroups'] }, expansions: readonly Expansion[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const expansion of expansions) {
    if (expansion.property === 'sections') {
      out['sections'] = entity.sections.map((section) => select(presentSection(section), expansion.select));
    } else if (entity.sectionGroups !== undefined) {
      out['sectionGroups'] = entity.sectionGroups.map((group) => {
        const { sections: _sections, ...rest } = group;
        return { ...select(rest, expansion.select), ...expandInto({ sections: group.sections }, expansion.expand) };
      });
    }
  }
  return out;
}

function listNotebooks({ data, url }: GraphContext): GraphReply {
  const raw = url.searchParams.get('$expand');
  const expansions = raw === null ? [] : parseExpand(raw);
  if (expansions === undefined) return badExpand(raw ?? '');
  const top = checkTop(url, 100);
  if (top !== undefined) return top;
  const notebooks = data.notebooks.map((notebook) => {
    const { sections, sectionGroups, ...rest } = notebook;
    return { ...select(rest, url.searchParams), ...expandInto({ sections, sectionGroups }, expansions) };
  });
  const plain = new URL(url);
  plain.searchParams.delete('$select');
  return { status: 200, body: page(notebooks, plain, 20) };
}

function allSections(data: UserData): StoredSection[] {
  return data.notebooks.flatMap((notebook) => [...notebook.sections, ...notebook.sectionGroups.flatMap((group) => group.sections)]);
}

function presentPage(entry: StoredPage): Record<string, unknown> & { id: string } {
  const { html: _html, ...rest } = entry;
  return rest;
}

function listPages({ data, params, url }: GraphContext): GraphReply {
  const id = decodeParam(params[0]);
  const section = allSections(data).find((candidate) => candidate.id === id);
  if (section === undefined) return notFound();
  const top = checkTop(url, 100);
  if (top !== undefined) return top;
  const orderBy = url.searchParams.get('$orderby')?.trim() ?? 'lastModifiedDateTime desc';
  if (orderBy !== 'lastModifiedDateTime desc' && orderBy !== 'title') return graphError(400, '20111', `The $orderby value '${orderBy}' is not supported.`);
  const pages = [...section.pages]
    .sort((a, b) => (orderBy === 'title' ? (a.title ?? '').localeCompare(b.title ?? '') : (b.lastModifiedDateTime ?? '').localeCompare(a.lastModifiedDateTime ?? '')))
    .map(presentPage);
  return { status: 200, body: page(pages, url, 20) };
}

function pageContent({ data, params }: GraphContext): GraphReply {
  const id = decodeParam(params[0]);
  const found = allSections(data).flatMap((section) => section.pages).find((entry) => entry.id === id);
  if (found === undefined) return notFound();
  return { status: 200, bytes: Buffer.from(found.html, 'utf8'), headers: { 'content-type': 'text/html' } };
}

export const notesRoutes: readonly GraphRoute[] = [
  { method: 'GET', pattern: /^\/me\/onenote\/notebooks$/, anyScope: READ, handle: listNotebooks },
  { method: 'GET', pattern: /^\/me\/onenote\/sections\/([^/]+)\/pages$/, anyScope: READ, handle: listPages },
  { method: 'GET', pattern: /^\/me\/onenote\/pages\/([^/]+)\/content$/, anyScope: READ, handle: pageContent },
];

// ---- sample notebooks ----

const SEED_NOW = Date.UTC(2025, 5, 2, 9, 0, 0);

function pageHtml(title: string, created: string, body: string): string {
  return `<html lang="en-US">\n\t<head>\n\t\t<title>${title}</title>\n\t\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n`
    + `\t\t<meta name="created" content="${created}" />\n\t</head>\n\t<body data-absolute-enabled="true" style="font-family:Calibri;font-size:11pt">\n`
    + `\t\t<div id="div:{1}" data-id="_default" style="position:absolute;left:48px;top:115px;width:624px">${body}</div>\n\t</body>\n</html>\n`;
}

function storedPage(data: UserData, sectionId: string, slug: string, title: string, hoursAgo: number, body: string): StoredPage {
  const id = `${data.user.key}-page-${slug}`;
  const when = new Date(SEED_NOW - hoursAgo * 3_600_000).toISOString();
  return {
    id, title, createdDateTime: when, lastModifiedDateTime: when, level: 0, order: 0,
    contentUrl: `https://graph.microsoft.com/v1.0/users/${data.user.oid}/onenote/pages/${id}/content`,
    links: { oneNoteWebUrl: { href: `https://onenote.example/${data.user.key}/${slug}` }, oneNoteClientUrl: { href: `onenote:${slug}` } },
    parentSection: { id: sectionId },
    html: pageHtml(title, when, body),
  };
}

function section(data: UserData, slug: string, displayName: string, pages: (sectionId: string) => StoredPage[]): StoredSection {
  const id = `${data.user.key}-section-${slug}`;
  return { id, displayName, isDefault: slug === 'meetings', lastModifiedDateTime: new Date(SEED_NOW).toISOString(), pages: pages(id) };
}

/**
 * Two notebooks per user: Work (Meetings, with a Q3 review page that has an image, a script and a table;
 * a page longer than read_page's cap; one too large to read; Archive, 120 pages; and a section group
 * Projects / Launch) and Personal.
 */
export function seedNotes(data: UserData): void {
  const { key } = data.user;
  const long = Array.from({ length: 2_000 }, (_, index) => `<p>Paragraph ${index + 1} of the ${key} handbook, with enough words to make the page long.</p>`).join('');
  const meetings = section(data, 'meetings', 'Meetings', (id) => [
    storedPage(data, id, 'q3-review', `Q3 review (${key})`, 2,
      `<p>Decisions for the <b>${key}</b> Q3 review:</p><ul><li>Open two stores</li><li>Hire a planner</li></ul>`
      + '<img src="https://graph.microsoft.com/v1.0/resources/1/$value" alt="chart" /><script>track()</script>'
      + '<table><tr><td>Region</td><td>Sales</td></tr><tr><td>West</td><td>12%</td></tr></table>'),
    storedPage(data, id, 'handbook', `${key} handbook`, 30, long),
    storedPage(data, id, 'scan', 'Scanned archive', 40, `<p>${'x'.repeat(OVERSIZE_PAGE_BYTES)}</p>`),
  ]);
  const archive = section(data, 'archive', 'Archive', (id) => Array.from({ length: ARCHIVED_PAGES }, (_, index) =>
    storedPage(data, id, `archive-${String(index + 1).padStart(3, '0')}`, `Archived ${key} note ${index + 1}`, 100 + index, `<p>Old note ${index + 1}.</p>`)));
  const launch = section(data, 'launch', 'Launch', (id) => [storedPage(data, id, 'launch-plan', 'Launch plan', 10, `<p>${key} launch checklist.</p>`)]);
  const recipes = section(data, 'recipes', 'Recipes', (id) => [storedPage(data, id, 'soup', 'Soup', 200, '<p>Tomatoes, basil.</p>')]);
  const notebook = (slug: string, displayName: string, sections: StoredSection[], groups: StoredNotebook['sectionGroups']): StoredNotebook => ({
    id: `${key}-notebook-${slug}`, displayName, isDefault: slug === 'work', isShared: false, userRole: 'Owner',
    createdDateTime: new Date(SEED_NOW - 365 * 86_400_000).toISOString(), lastModifiedDateTime: new Date(SEED_NOW).toISOString(),
    links: { oneNoteWebUrl: { href: `https://onenote.example/${key}/${slug}` }, oneNoteClientUrl: { href: `onenote:${slug}` } },
    sections, sectionGroups: groups,
  });
  data.notebooks = [
    notebook('work', 'Work', [meetings, archive], [{ id: `${key}-group-projects`, displayName: 'Projects', sections: [launch] }]),
    notebook('personal', 'Personal', [recipes], []),
  ];
}
