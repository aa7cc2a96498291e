// Local Graph: OneDrive and SharePoint files (drive items, downloads, sites) and Microsoft Search over them.
import { randomUUID } from 'node:crypto';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import JSZip from 'jszip';
import { buildPdf } from './officeFiles.js';
import { SAMPLE_USERS, type SampleUser } from '../sampleUsers.js';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page, select } from './odata.js';
import type { StoredDriveItem, UserData, WithId } from './userData.js';

// Graph's delegated permissions per API (least privileged first).
const OWN_DRIVE_READ = ['Files.Read', 'Files.ReadWrite', 'Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'];
const ANY_DRIVE_READ = ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'];
const SITES_READ = ['Sites.Read.All', 'Sites.ReadWrite.All'];

/** Metadata size of the seeded file that is too large for read_file. */
export const LARGE_FILE_BYTES = 50 * 1024 * 1024;
/** Files in Documents/Archive, for paging. */
export const ARCHIVE_SIZE = 120;

// ---------------------------------------------------------------------------------------------
// Downloads: /content answers 302 to a pre-authenticated URL on another authority, as Graph does.

interface PendingDownload {
  readonly bytes: Buffer;
  readonly mimeType: string;
  readonly expires: number;
}

// Keyed by an unguessable token, so any local Graph instance in this process can serve it.
const downloads = new Map<string, PendingDownload>();
const DOWNLOAD_LIFETIME_MS = 5 * 60 * 1000;

function downloadRedirect(item: StoredDriveItem, url: URL): GraphReply {
  const now = Date.now();
  for (const [token, pending] of downloads) if (pending.expires < now) downloads.delete(token);
  const token = randomUUID();
  const bytes: Buffer = item.content ?? Buffer.alloc(0);
  downloads.set(token, { bytes, mimeType: item.file?.mimeType ?? 'application/octet-stream', expires: now + DOWNLOAD_LIFETIME_MS });
  // Same server, other authority (localhost <-> 127.0.0.1; the certificate covers both): the Graph client must
  // drop the bearer token on the way, as it does for SharePoint's download hosts.
  const location = new URL(`/download/${token}`, url);
  location.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return { status: 302, headers: { location: location.href } };
}

// Served without a token (`anonymous`, once the local Graph supports it): the URL itself is the credential.
const downloadRoute: GraphRoute & { readonly anonymous: true } = {
  method: 'GET',
  pattern: /^\/download\/([\w-]+)$/,
  anyScope: [],
  anonymous: true,
  handle: ({ params }) => {
    const pending = downloads.get(params[0] ?? '');
    if (pending === undefined || pending.expires < Date.now()) return { status: 401, body: { error: 'invalid or expired download token' } };
    return { status: 200, bytes: pending.bytes, headers: { 'content-type': pending.mimeType } };
  },
};

// ---------------------------------------------------------------------------------------------
// Drives: the user's OneDrive (items without a siteId) and each visible site's default library.

interface Drive {
  readonly root: StoredDriveItem;
  readonly items: readonly StoredDriveItem[];
}

const notFound = (): GraphReply => graphError(404, 'itemNotFound', 'The resource could not be found.');

function personalDrive(data: UserData): Drive {
  const items = data.driveItems.filter((item) => item.parentReference?.siteId === undefined || item.parentReference.siteId === null);
  const root = items.find((item) => item.id === 'root');
  if (root === undefined) throw new Error('The OneDrive has no root');
  return { root, items };
}

function siteDrive(data: UserData, siteId: string): Drive | undefined {
  if (!data.sites.some((site) => site.id.toLowerCase() === siteId.toLowerCase())) return undefined;
  const items = data.driveItems.filter((item) => item.parentReference?.siteId?.toLowerCase() === siteId.toLowerCase());
  const root = items.find((item) => item.root !== undefined && item.root !== null);
  return root === undefined ? undefined : { root, items };
}

function itemIn(drive: Drive, id: string): StoredDriveItem | undefined {
  return id.toLowerCase() === 'root' ? drive.root : drive.items.find((item) => item.id === id);
}

/** Folders first, then by name, as a stable order for paging. */
function childrenOf(drive: Drive, folder: StoredDriveItem): StoredDriveItem[] {
  return drive.items
    .filter((item) => item.parentId === folder.id)
    .sort((a, b) => Number(b.folder !== undefined) - Number(a.folder !== undefined) || (a.name ?? '').localeCompare(b.name ?? ''));
}

/** Path addressing (`root:/a/b:`), names compared case-insensitively as OneDrive does. */
function itemByPath(drive: Drive, encodedPath: string): StoredDriveItem | undefined {
  let current: StoredDriveItem | undefined = drive.root;
  for (const segment of encodedPath.split('/').filter((part) => part !== '')) {
    const name = decodeURIComponent(segment).toLowerCase();
    if (name === '.' || name === '..') return undefined;
    const parent: StoredDriveItem = current;
    current = drive.items.find((item) => item.parentId === parent.id && item.name?.toLowerCase() === name);
    if (current === undefined) return undefined;
  }
  return current;
}

type DriveResolver = (context: GraphContext) => Drive | undefined;

/** The same drive API under `/me/drive` and `/sites/{id}/drive`; `offset` is how many pattern groups the prefix uses. */
function driveRoutes(prefix: string, offset: number, anyScope: readonly string[], resolve: DriveResolver): GraphRoute[] {
  const param = (context: GraphContext) => decodeURIComponent(context.params[offset] ?? '');
  const withDrive = (handle: (drive: Drive, context: GraphContext) => GraphReply) => (context: GraphContext): GraphReply => {
    try {
      const drive = resolve(context);
      return drive === undefined ? notFound() : handle(drive, context);
    } catch (error) {
      if (error instanceof URIError) return graphError(400, 'invalidRequest', 'Invalid request: malformed URL encoding.');
      throw error;
    }
  };
  const children = (folder: StoredDriveItem | undefined, drive: Drive, url: URL): GraphReply =>
    folder === undefined ? notFound() : { status: 200, body: page(childrenOf(drive, folder), url, 200) };
  return [
    {
      method: 'GET', pattern: new RegExp(`^${prefix}/root/children$`), anyScope,
      handle: withDrive((drive, { url }) => children(drive.root, drive, url)),
    },
    {
      method: 'GET', pattern: new RegExp(`^${prefix}/root:/(.+):/children$`), anyScope,
      handle: withDrive((drive, context) => children(itemByPath(drive, context.params[offset] ?? ''), drive, context.url)),
    },
    {
      method: 'GET', pattern: new RegExp(`^${prefix}/items/([^/]+)/children$`), anyScope,
      handle: withDrive((drive, context) => children(itemIn(drive, param(context)), drive, context.url)),
    },
    {
      method: 'GET', pattern: new RegExp(`^${prefix}/items/([^/]+)$`), anyScope,
      handle: withDrive((drive, context) => {
        const item = itemIn(drive, param(context));
        return item === undefined ? notFound() : { status: 200, body: select(item, context.url.searchParams) };
      }),
    },
    {
      method: 'GET', pattern: new RegExp(`^${prefix}/items/([^/]+)/content$`), anyScope,
      handle: withDrive((drive, context) => {
        const item = itemIn(drive, param(context));
        if (item === undefined) return notFound();
        if (item.file === undefined || item.file === null) return graphError(400, 'invalidRequest', 'The item is not a file.');
        return downloadRedirect(item, context.url);
      }),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Microsoft Search: POST /search/query over every drive item the caller can see.

/** Text content Microsoft Search indexes for items whose bytes are not plain text (.docx). */
const indexedText = new WeakMap<StoredDriveItem, string>();
const TEXT_TYPES = /^(text\/|application\/(json|xml))/;

function searchableText(item: StoredDriveItem): string {
  const indexed = indexedText.get(item);
  if (indexed !== undefined) return indexed;
  // DriveItem declares `content` as any; the local drive stores a Buffer there.
  const bytes: Buffer | undefined = item.content;
  return bytes !== undefined && TEXT_TYPES.test(item.file?.mimeType ?? '') ? bytes.toString('utf8') : '';
}

export function highlight(text: string, terms: readonly string[]): string {
  const lower = text.toLowerCase();
  const term = terms.find((candidate) => lower.includes(candidate)) ?? '';
  const at = lower.indexOf(term);
  const start = Math.max(0, at - 60);
  const excerpt = text.slice(start, at + term.length + 60).replace(/\s+/g, ' ');
  const marked = term === '' ? excerpt : excerpt.replace(new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), (match) => `<c0>${match}</c0>`);
  return `${start > 0 ? '<ddd/>' : ''}${marked}<ddd/>`;
}

/** The driveItem hits of one search request (checked by the search route) over the drive items `data`'s user can see. */
export function searchDriveItems(data: UserData, request: MicrosoftGraph.SearchRequest, terms: readonly string[], from: number, size: number): MicrosoftGraph.SearchHitsContainer {
  const matches = data.driveItems.filter((item) => {
    if (item.root !== undefined && item.root !== null) return false;
    const haystack = `${item.name ?? ''}\n${searchableText(item)}`.toLowerCase();
    return terms.every((term) => haystack.includes(term));
  });
  const fields = new URLSearchParams(request.fields === undefined || request.fields === null ? {} : { $select: request.fields.join(',') });
  const hits = matches.slice(from, from + size).map((item, index) => ({
    hitId: item.id,
    rank: from + index + 1,
    summary: highlight(searchableText(item) || (item.name ?? ''), terms),
    resource: { '@odata.type': '#microsoft.graph.driveItem', ...select(item, fields) },
  }));
  return { hits, total: matches.length, moreResultsAvailable: from + size < matches.length };
}

// ---------------------------------------------------------------------------------------------
// Sites.

function findSite(data: UserData, id: string): WithId<MicrosoftGraph.Site> | undefined {
  return data.sites.find((site) => site.id.toLowerCase() === id.toLowerCase());
}

function searchSites({ data, url }: GraphContext): GraphReply {
  const query = (url.searchParams.get('search') ?? '*').replace(/"/g, ' ').trim().toLowerCase();
  // Like the search index, words only: a lone `&` or `#` between them matches nothing and is dropped.
  const terms = query === '*' || query === '' ? [] : query.split(/\s+/).filter((term) => /[\p{L}\p{N}]/u.test(term));
  const matches = data.sites.filter((site) => {
    const haystack = [site.displayName, site.name, site.description, site.webUrl].filter((value) => typeof value === 'string').join('\n').toLowerCase();
    return terms.every((term) => haystack.includes(term.replace(/\*$/, '')));
  });
  return { status: 200, body: page(matches, url, 10) };
}

export const filesRoutes: readonly GraphRoute[] = [
  downloadRoute,
  { method: 'GET', pattern: /^\/sites$/, anyScope: SITES_READ, handle: searchSites },
  {
    method: 'GET', pattern: /^\/sites\/([^/]+)$/, anyScope: SITES_READ,
    handle: ({ data, params, url }) => {
      let id: string;
      try {
        id = decodeURIComponent(params[0] ?? '');
      } catch {
        return graphError(400, 'invalidRequest', 'Invalid request: malformed URL encoding.');
      }
      const site = findSite(data, id);
      return site === undefined ? graphError(404, 'itemNotFound', 'Requested site could not be found') : { status: 200, body: select(site, url.searchParams) };
    },
  },
  ...driveRoutes('/me/drive', 0, OWN_DRIVE_READ, ({ data }) => personalDrive(data)),
  ...driveRoutes('/sites/([^/]+)/drive', 1, ANY_DRIVE_READ, ({ data, params }) => siteDrive(data, decodeURIComponent(params[0] ?? ''))),
];

// ---------------------------------------------------------------------------------------------
// Seed.

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PDF = buildPdf([['Service contract', 'Signed by both parties.']]);
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal but real Word document: content types, package relationships, and the main part. */
export async function buildDocx(paragraphs: readonly string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const body = paragraphs.map((text) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The report every user's OneDrive holds: the same words for everyone, plus a marker of its owner. */
export const reportParagraphs = (user: SampleUser) => ['Quarterly report', `Prepared by ${user.name}.`, `Revenue grew in every region. Reference ${user.key}-docx-7421.`];
const siteDocParagraphs = (user: SampleUser, site: string) => [`${site} plan`, `Owner: ${user.name}. Reference ${user.key}-sitedoc.`];

const SITES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  adele: [['Retail Operations', 'Store openings, staffing and weekly sales'], ['Brand Studio', 'Logos, templates and brand guidelines']],
  alex: [['Marketing Campaigns', 'Campaign plans and launch calendars'], ['Events Team', 'Trade shows and customer events']],
  megan: [['Product Roadmap', 'Release plans and feature specs'], ['Fabrikam Engineering', 'Design documents and runbooks']],
};
const sitesOf = (user: SampleUser) => SITES[user.key] ?? [[`${user.name} Team`, 'Team site'], [`${user.name} Projects`, 'Project site']];

// Seeds are synchronous; Word documents are zipped once, at load, for every sample user.
const DOCX = new Map<string, Buffer>(await Promise.all(SAMPLE_USERS.flatMap((user) => [
  (async () => [`${user.key}:report`, await buildDocx(reportParagraphs(user))] as const)(),
  ...sitesOf(user).map(async ([site]) => [`${user.key}:${site}`, await buildDocx(siteDocParagraphs(user, site))] as const),
])));

function docx(key: string): Buffer {
  const bytes = DOCX.get(key);
  if (bytes === undefined) throw new Error(`No prebuilt .docx for ${key}`);
  return bytes;
}

/** Builds one drive's tree with consistent parent links, paths, web URLs, ids and timestamps. */
class DriveWriter {
  private count = 0;
  private readonly paths = new Map<string, string>();

  constructor(
    private readonly data: UserData,
    readonly root: StoredDriveItem,
    private readonly options: { idPrefix: string; driveId: string; driveType: string; siteId?: string; webUrl: string; pathPrefix: string },
  ) {
    this.paths.set(root.id, '');
  }

  private timestamp(): string {
    return new Date(Date.UTC(2025, 0, 6, 9) + this.count * 37 * 60_000).toISOString().replace('.000Z', 'Z');
  }

  private add(parent: StoredDriveItem, name: string, facets: Partial<StoredDriveItem>): StoredDriveItem {
    this.count++;
    const parentPath = this.paths.get(parent.id) ?? '';
    const path = `${parentPath}/${name}`;
    const item: StoredDriveItem = {
      id: `${this.options.idPrefix}${String(this.count).padStart(4, '0')}`,
      name,
      createdDateTime: this.timestamp(),
      lastModifiedDateTime: this.timestamp(),
      webUrl: `${this.options.webUrl}${encodeURI(path)}`,
      parentReference: {
        driveId: this.options.driveId,
        driveType: this.options.driveType,
        id: parent.id,
        path: `${this.options.pathPrefix}/root:${parentPath}`,
        ...(this.options.siteId !== undefined && { siteId: this.options.siteId }),
      },
      parentId: parent.id,
      ...facets,
    };
    this.paths.set(item.id, path);
    this.data.driveItems.push(item);
    return item;
  }

  folder(parent: StoredDriveItem, name: string): StoredDriveItem {
    return this.add(parent, name, { folder: { childCount: 0 }, size: 0 });
  }

  file(parent: StoredDriveItem, name: string, mimeType: string, content: Buffer, options: { size?: number; indexedText?: string } = {}): StoredDriveItem {
    const item = this.add(parent, name, { file: { mimeType }, size: options.size ?? content.length, content });
    if (options.indexedText !== undefined) indexedText.set(item, options.indexedText);
    return item;
  }

  /** Folder facets and sizes as Graph reports them: direct children, and bytes of everything below. */
  finish(): void {
    const sizeOf = (folder: StoredDriveItem): number => {
      const children = this.data.driveItems.filter((item) => item.parentId === folder.id);
      const size = children.reduce((sum, child) => sum + (child.folder ? sizeOf(child) : child.size ?? 0), 0);
      folder.folder = { childCount: children.length };
      folder.size = size;
      return size;
    };
    sizeOf(this.root);
  }
}

const text = (value: string) => Buffer.from(value, 'utf8');

function seedOneDrive(data: UserData, tenant: string): void {
  const { user } = data;
  const alias = (user.upn.split('@')[0] ?? user.key).toLowerCase();
  const domain = user.upn.split('@')[1] ?? 'example.com';
  const driveId = `b!${user.key}-${randomUUID()}`;
  const webUrl = `https://${tenant}-my.sharepoint.com/personal/${alias}_${domain.replace(/\./g, '_')}/Documents`;
  const root = data.driveItems.find((item) => item.id === 'root') as StoredDriveItem;
  Object.assign(root, { webUrl, createdDateTime: '2025-01-06T09:00:00Z', lastModifiedDateTime: '2025-01-06T09:00:00Z', parentReference: { driveId, driveType: 'business' } });
  const drive = new DriveWriter(data, root, { idPrefix: `01${user.key.toUpperCase()}`, driveId, driveType: 'business', webUrl, pathPrefix: '/drive' });
  const first = user.name.split(' ')[0] ?? user.name;

  const documents = drive.folder(root, 'Documents');
  const reports = drive.folder(documents, 'Reports');
  drive.file(reports, 'Quarterly Report.docx', DOCX_MIME, docx(`${user.key}:report`), { indexedText: reportParagraphs(user).join('\n') });
  drive.file(reports, 'Budget.csv', 'text/csv', text(`region,owner,budget\nNorth,${user.name},12000\nSouth,${user.name},9500\n# ${user.key}-csv-budget\n`));
  drive.file(reports, 'Summary.md', 'text/markdown', text(`# Summary\n\nQuarterly summary written by ${user.name}.\n\n- Reference: ${user.key}-md-summary\n`));
  drive.file(reports, 'Broken.docx', DOCX_MIME, text('this is not a zip file'));
  const special = drive.folder(documents, 'R&D #1');
  drive.file(special, 'Ideas.txt', 'text/plain', text(`Ideas from ${first}: ${user.key}-rnd-ideas\n`));
  drive.file(documents, 'Notes.txt', 'text/plain', text(`Meeting notes kept by ${user.name}.\nReference: ${user.key}-txt-notes\n`));
  drive.file(documents, 'Settings.json', 'application/json', text(`${JSON.stringify({ owner: user.upn, reference: `${user.key}-json-settings` }, null, 2)}\n`));
  drive.file(documents, 'Feed.xml', 'application/xml', text(`<?xml version="1.0"?>\n<feed><title>${escapeXml(user.name)} feed</title><entry>${user.key}-xml-feed</entry></feed>\n`));
  drive.file(documents, 'Team Page.html', 'text/html', text(`<!doctype html><html><head><title>Team</title><style>body { color: red }</style></head><body><script>var secret = 1;</script><h1>Team of ${escapeXml(user.name)}</h1><p>Reference: <b>${user.key}-html-team</b></p><img src="x.png"></body></html>`));
  drive.file(documents, 'Handbook.txt', 'text/plain', text(`Handbook of ${user.name} (${user.key}-handbook).\n${'All work and no play makes a dull day. '.repeat(2_000)}\nEnd of handbook.\n`));
  drive.file(documents, 'Large Dataset.csv', 'text/csv', text(`id,value\n1,${user.key}-large\n`), { size: LARGE_FILE_BYTES });
  drive.file(documents, 'Contract.pdf', 'application/pdf', PDF);
  const archive = drive.folder(documents, 'Archive');
  for (let index = 1; index <= ARCHIVE_SIZE; index++) {
    const number = String(index).padStart(3, '0');
    drive.file(archive, `Log ${number}.txt`, 'text/plain', text(`Archived log entry ${number} for ${user.name}.\n`));
  }
  const pictures = drive.folder(root, 'Pictures');
  drive.file(pictures, 'Logo.png', 'image/png', PNG);
  drive.finish();
}

function seedSites(data: UserData, tenant: string): void {
  const { user } = data;
  const hostname = `${tenant}.sharepoint.com`;
  sitesOf(user).forEach(([displayName, description], index) => {
    const name = displayName.replace(/\s+/g, '');
    const siteId = `${hostname},${randomUUID()},${randomUUID()}`;
    const webUrl = `https://${hostname}/sites/${name}`;
    data.sites.push({
      id: siteId,
      name,
      displayName,
      description,
      webUrl,
      createdDateTime: '2024-09-02T08:00:00Z',
      lastModifiedDateTime: '2025-02-03T10:00:00Z',
      siteCollection: { hostname },
    });
    const driveId = `b!${user.key}-site${index}-${randomUUID()}`;
    const libraryUrl = `${webUrl}/Shared%20Documents`;
    const root: StoredDriveItem = {
      id: `01${user.key.toUpperCase()}S${index}ROOT`,
      name: 'root',
      root: {},
      folder: { childCount: 0 },
      webUrl: libraryUrl,
      parentReference: { driveId, driveType: 'documentLibrary', siteId },
      parentId: null,
    };
    data.driveItems.push(root);
    const drive = new DriveWriter(data, root, { idPrefix: `01${user.key.toUpperCase()}S${index}`, driveId, driveType: 'documentLibrary', siteId, webUrl: libraryUrl, pathPrefix: `/drives/${driveId}` });
    drive.file(root, 'Agenda.md', 'text/markdown', text(`# ${displayName} agenda\n\nOwner: ${user.name}. Reference: ${user.key}-site${index}-agenda\n`));
    drive.file(root, `${displayName} Plan.docx`, DOCX_MIME, docx(`${user.key}:${displayName}`), { indexedText: siteDocParagraphs(user, displayName).join('\n') });
    const general = drive.folder(root, 'General');
    drive.file(general, 'Welcome.txt', 'text/plain', text(`Welcome to ${displayName}. Reference: ${user.key}-site${index}-welcome\n`));
    drive.finish();
  });
}

/** Each user's OneDrive (every supported type, a too-large file, unsupported types, 120 files for paging) and two sites. */
export function seedFiles(data: UserData): void {
  const tenant = (data.user.upn.split('@')[1] ?? 'example.com').split('.')[0] ?? 'example';
  seedOneDrive(data, tenant);
  seedSites(data, tenant);
}
