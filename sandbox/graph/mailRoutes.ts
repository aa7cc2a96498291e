// Local Graph: the signed-in user's mailbox (folders, listing, $search, reading, sendMail, drafts) and its sample mail.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { convert } from 'html-to-text';
import { SAMPLE_USERS } from '../sampleUsers.js';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page, satisfies, select, type Comparison } from './odata.js';
import type { UserData, WithId } from './userData.js';

export type StoredMessage = WithId<MicrosoftGraph.Message>;
type StoredAttachment = WithId<MicrosoftGraph.FileAttachment> & { '@odata.type': string };

export const WELL_KNOWN_FOLDERS = { inbox: 'Inbox', sentitems: 'Sent Items', drafts: 'Drafts', archive: 'Archive', deleteditems: 'Deleted Items' } as const;
export type WellKnownFolder = keyof typeof WELL_KNOWN_FOLDERS;

/** Folder ids are per user, so one user's folder id means nothing in another's mailbox. */
export function mailFolderId(data: UserData, folder: WellKnownFolder): string {
  return `${data.user.key}-folder-${folder}`;
}

/** The messages of one of a user's well-known folders, in store order. */
export function messagesIn(data: UserData, folder: WellKnownFolder): StoredMessage[] {
  const id = mailFolderId(data, folder);
  return data.messages.filter((message) => message.parentFolderId === id);
}

// Mail.ReadBasic is accepted by Graph too but hides bodies and previews, which the stand-in does not model.
const READ_SCOPES = ['Mail.Read', 'Mail.ReadWrite'];
const NOT_FOUND = (): GraphReply => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const TEXT_PREFERENCE = 'outlook.body-content-type="text"';

function htmlToText(html: string): string {
  return convert(html, { wordwrap: false });
}

// Search converts every HTML body it looks at; the stored bodies are not edited in place, so their text can be kept.
const converted = new WeakMap<MicrosoftGraph.ItemBody, string>();

function textOf(body: MicrosoftGraph.ItemBody | null | undefined): string {
  if (body === null || body === undefined) return '';
  if (body.contentType !== 'html') return body.content ?? '';
  let text = converted.get(body);
  if (text === undefined) {
    text = htmlToText(body.content ?? '');
    converted.set(body, text);
  }
  return text;
}

export function previewOf(body: MicrosoftGraph.ItemBody | null | undefined): string {
  return textOf(body).replace(/\s+/g, ' ').trim().slice(0, 255);
}

export function webLinkFor(id: string): string {
  return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`;
}

/** `Prefer: outlook.body-content-type="text"` (possibly among other preferences). */
function prefersText(headers: IncomingHttpHeaders): boolean {
  const prefer = [headers.prefer ?? []].flat().join(',');
  return /outlook\.body-content-type\s*=\s*"?text"?/i.test(prefer);
}

/** A message as Graph returns it: navigation properties only when expanded, the body converted when text is preferred. */
export function present(message: StoredMessage, asText: boolean): StoredMessage {
  const { attachments: _attachments, ...rest } = message;
  if (!asText || message.body?.contentType !== 'html') return rest;
  return { ...rest, body: { contentType: 'text', content: textOf(message.body) } };
}

export function decodeId(raw: string | undefined): string | undefined {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return undefined;
  }
}

function findFolder(data: UserData, raw: string): WithId<MicrosoftGraph.MailFolder> | undefined {
  const name = raw.toLowerCase();
  const id = name in WELL_KNOWN_FOLDERS ? mailFolderId(data, name as WellKnownFolder) : raw;
  return data.mailFolders.find((folder) => folder.id === id);
}

// ---- $filter and $orderby: the comparisons mail clients use ----

interface Clause {
  readonly property: string;
  readonly op: Comparison;
  readonly value: string | boolean;
}

const FILTERABLE = new Map<string, 'boolean' | 'date' | 'string'>([
  ['isRead', 'boolean'],
  ['isDraft', 'boolean'],
  ['hasAttachments', 'boolean'],
  ['importance', 'string'],
  ['subject', 'string'],
  ['receivedDateTime', 'date'],
  ['sentDateTime', 'date'],
  ['createdDateTime', 'date'],
]);
const SORTABLE = new Set(['receivedDateTime', 'sentDateTime', 'createdDateTime', 'subject', 'importance']);

function unknownProperty(property: string): GraphReply {
  return graphError(400, 'BadRequest', `Could not find a property named '${property}' on type 'microsoft.graph.message'.`);
}

function parseFilter(filter: string): Clause[] | GraphReply {
  const clauses: Clause[] = [];
  for (const part of filter.trim().split(/\s+and\s+/i)) {
    const match = /^(\w+)\s+(eq|ne|gt|ge|lt|le)\s+(true|false|'(?:[^']|'')*'|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?)$/i.exec(part.trim());
    if (match === null) return graphError(400, 'BadRequest', `Invalid filter clause: '${part}' is not a comparison the local Graph understands.`);
    const [, property = '', op = '', literal = ''] = match;
    const type = FILTERABLE.get(property);
    if (type === undefined) return unknownProperty(property);
    const value = /^(true|false)$/i.test(literal) ? literal.toLowerCase() === 'true' : literal.replace(/^'|'$/g, '').replaceAll('\'\'', '\'');
    if ((type === 'boolean') !== (typeof value === 'boolean')) return graphError(400, 'BadRequest', `A binary operator with incompatible types was detected for '${property}'.`);
    clauses.push({ property, op: op.toLowerCase() as Comparison, value });
  }
  return clauses;
}

/** A filterable or sortable property's value; anything that is not a string or boolean counts as absent. */
function valueOf(message: StoredMessage, property: string): string | boolean | undefined {
  const value = (message as unknown as Record<string, unknown>)[property];
  return typeof value === 'string' || typeof value === 'boolean' ? value : undefined;
}

function compare(left: string | boolean | undefined, right: string | boolean | undefined, type: 'boolean' | 'date' | 'string'): number {
  if (type === 'date') return Date.parse(String(left ?? '')) - Date.parse(String(right ?? ''));
  const a = String(left ?? '').toLowerCase();
  const b = String(right ?? '').toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function passes(message: StoredMessage, clause: Clause): boolean {
  const order = compare(valueOf(message, clause.property), clause.value, FILTERABLE.get(clause.property) ?? 'string');
  return satisfies(order, clause.op);
}

interface SortKey {
  readonly property: string;
  readonly descending: boolean;
}

function parseOrderBy(orderBy: string): SortKey[] | GraphReply {
  const keys: SortKey[] = [];
  for (const part of orderBy.split(',')) {
    const [property = '', direction = 'asc', ...extra] = part.trim().split(/\s+/);
    if (extra.length > 0 || !/^(asc|desc)$/i.test(direction)) return graphError(400, 'BadRequest', `Syntax error in $orderby at '${part.trim()}'.`);
    if (!SORTABLE.has(property)) return unknownProperty(property);
    keys.push({ property, descending: direction.toLowerCase() === 'desc' });
  }
  return keys;
}

function sortBy(messages: StoredMessage[], keys: readonly SortKey[]): StoredMessage[] {
  return [...messages].sort((a, b) => {
    for (const key of keys) {
      const type = FILTERABLE.get(key.property) ?? 'string';
      const order = compare(valueOf(a, key.property), valueOf(b, key.property), type);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
}

// ---- $search: KQL property restrictions and free words, all of which must match (no OR, NOT or grouping) ----

interface SearchTerm {
  readonly property: string | undefined;
  readonly value: string;
}

/** The KQL inside `$search="…"`, with the OData phrase's `\"` and `\\` escapes undone. */
function searchText(raw: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(raw.trim());
  return quoted === null ? raw.trim() : (quoted[1] ?? '').replace(/\\(.)/g, '$1');
}

function parseKql(kql: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const match of kql.matchAll(/(?:(\w+):)?(?:"([^"]*)"|(\S+))/g)) {
    const [, property, phrase, word] = match;
    const value = (phrase ?? word ?? '').toLowerCase();
    if (property === undefined && phrase === undefined && word === 'AND') continue;
    if (value !== '') terms.push({ property: property?.toLowerCase(), value });
  }
  return terms;
}

function addresses(recipients: MicrosoftGraph.Recipient[] | null | undefined): string[] {
  return (recipients ?? []).flatMap((recipient) => [recipient.emailAddress?.name ?? '', recipient.emailAddress?.address ?? '']);
}

function matchesTerm(message: StoredMessage, term: SearchTerm): boolean {
  const from = addresses(message.from === null || message.from === undefined ? [] : [message.from]);
  const fields = new Map<string, () => string[]>(Object.entries({
    from: () => from,
    to: () => addresses(message.toRecipients),
    cc: () => addresses(message.ccRecipients),
    bcc: () => addresses(message.bccRecipients),
    participants: () => [...from, ...addresses(message.toRecipients), ...addresses(message.ccRecipients), ...addresses(message.bccRecipients)],
    subject: () => [message.subject ?? ''],
    body: () => [textOf(message.body)],
    attachment: () => (message.attachments ?? []).map((attachment) => attachment.name ?? ''),
  }));
  if (term.property === 'hasattachments' || term.property === 'hasattachment') return String(message.hasAttachments === true) === term.value;
  const field = term.property === undefined ? undefined : fields.get(term.property);
  // Graph searches its default properties (from, subject, body) for free words, and for what it cannot read as a property.
  const haystack = field?.() ?? [...from, message.subject ?? '', textOf(message.body)];
  const needle = field === undefined && term.property !== undefined ? `${term.property}:${term.value}` : term.value;
  return haystack.some((value) => value.toLowerCase().includes(needle));
}

// ---- collections and items ----

function listReply(messages: StoredMessage[], { url, headers }: GraphContext): GraphReply {
  const query = url.searchParams;
  const search = query.get('$search');
  const filter = query.get('$filter');
  const orderBy = query.get('$orderby');
  if (search !== null && orderBy !== null) {
    return graphError(400, 'SearchWithOrderBy', 'The query parameter \'$orderBy\' is not supported with \'$search\'.');
  }
  let items = messages;
  let sortKeys: SortKey[] = [{ property: 'receivedDateTime', descending: true }];
  if (orderBy !== null) {
    const parsed = parseOrderBy(orderBy);
    if (!Array.isArray(parsed)) return parsed;
    sortKeys = parsed;
  }
  if (filter !== null) {
    const clauses = parseFilter(filter);
    if (!Array.isArray(clauses)) return clauses;
    // Exchange's rule: sorted properties must lead the filter, in the same order.
    if (orderBy !== null && sortKeys.some((key, index) => clauses[index]?.property !== key.property)) {
      return graphError(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');
    }
    items = items.filter((message) => clauses.every((clause) => passes(message, clause)));
  }
  if (search !== null) {
    const terms = parseKql(searchText(search));
    items = items.filter((message) => terms.every((term) => matchesTerm(message, term)));
    // Graph orders search results by when they were sent.
    sortKeys = [{ property: 'sentDateTime', descending: true }, { property: 'receivedDateTime', descending: true }];
  }
  const asText = prefersText(headers);
  return {
    status: 200,
    body: page(sortBy(items, sortKeys).map((message) => present(message, asText)), url, 10),
    headers: asText ? { 'preference-applied': TEXT_PREFERENCE } : {},
  };
}

/** `$expand=attachments` or `attachments($select=a,b)`: the only expansion messages need here. */
function parseExpand(expand: string | null): { attachments: boolean; select: URLSearchParams } | GraphReply {
  if (expand === null) return { attachments: false, select: new URLSearchParams() };
  const match = /^attachments(?:\(\$select=([\w,]+)\))?$/.exec(expand.trim());
  if (match === null) return graphError(400, 'BadRequest', `Parsing OData Select and Expand failed: could not expand '${expand}'.`);
  return { attachments: true, select: new URLSearchParams(match[1] === undefined ? '' : { $select: match[1] }) };
}

function getMessage({ data, url, params, headers }: GraphContext): GraphReply {
  const id = decodeId(params[0]);
  if (id === undefined) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  const message = data.messages.find((candidate) => candidate.id === id);
  if (message === undefined) return NOT_FOUND();
  const expand = parseExpand(url.searchParams.get('$expand'));
  if ('status' in expand) return expand;
  const asText = prefersText(headers);
  const attachments = expand.attachments
    ? (message.attachments ?? []).map((attachment) => ({ '@odata.type': (attachment as StoredAttachment)['@odata.type'], ...select(attachment as StoredAttachment, expand.select) }))
    : undefined;
  return {
    status: 200,
    body: { ...select(present(message, asText), url.searchParams), ...(attachments !== undefined && { attachments }) },
    headers: asText ? { 'preference-applied': TEXT_PREFERENCE } : {},
  };
}

// ---- writing: drafts and sendMail ----

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Recipients as Graph stores them, or a 400 for anything that is not a list of `{ emailAddress: { address } }`. */
export function readRecipients(value: unknown, property: string): MicrosoftGraph.Recipient[] | GraphReply {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return graphError(400, 'RequestBodyRead', `Invalid value for '${property}': a collection was expected.`);
  const recipients: MicrosoftGraph.Recipient[] = [];
  for (const item of value as unknown[]) {
    const email = isObject(item) ? item['emailAddress'] : undefined;
    const address = isObject(email) ? email['address'] : undefined;
    if (typeof address !== 'string' || !EMAIL.test(address)) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient isn\'t valid.');
    const name = isObject(email) && typeof email['name'] === 'string' ? email['name'] : address;
    recipients.push({ emailAddress: { name, address } });
  }
  return recipients;
}

function readBody(value: unknown): MicrosoftGraph.ItemBody | GraphReply {
  if (value === undefined || value === null) return { contentType: 'text', content: '' };
  if (!isObject(value)) return graphError(400, 'RequestBodyRead', 'Invalid value for \'body\'.');
  const type = typeof value['contentType'] === 'string' ? value['contentType'].toLowerCase() : 'text';
  if (type !== 'text' && type !== 'html') return graphError(400, 'RequestBodyRead', `Cannot convert the literal '${type}' to the expected type 'microsoft.graph.bodyType'.`);
  return { contentType: type, content: typeof value['content'] === 'string' ? value['content'] : '' };
}

/** A new message in `data`'s mailbox from a request's `message` JSON; a GraphReply when the JSON is wrong. */
function composeMessage(data: UserData, input: Record<string, unknown>, folder: WellKnownFolder, now: string): StoredMessage | GraphReply {
  const toRecipients = readRecipients(input['toRecipients'], 'toRecipients');
  if (!Array.isArray(toRecipients)) return toRecipients;
  const ccRecipients = readRecipients(input['ccRecipients'], 'ccRecipients');
  if (!Array.isArray(ccRecipients)) return ccRecipients;
  const bccRecipients = readRecipients(input['bccRecipients'], 'bccRecipients');
  if (!Array.isArray(bccRecipients)) return bccRecipients;
  const body = readBody(input['body']);
  if ('status' in body) return body;
  const importance = typeof input['importance'] === 'string' ? input['importance'].toLowerCase() : 'normal';
  if (importance !== 'low' && importance !== 'normal' && importance !== 'high') return graphError(400, 'RequestBodyRead', `Cannot convert the literal '${importance}' to the expected type 'microsoft.graph.importance'.`);
  const id = `${data.user.key}-msg-${randomUUID()}=`;
  return {
    id,
    createdDateTime: now,
    lastModifiedDateTime: now,
    receivedDateTime: now,
    sentDateTime: null,
    hasAttachments: false,
    internetMessageId: `<${randomUUID()}@${data.user.upn.split('@')[1] ?? 'example.com'}>`,
    subject: typeof input['subject'] === 'string' ? input['subject'] : '',
    bodyPreview: previewOf(body),
    importance,
    parentFolderId: mailFolderId(data, folder),
    conversationId: `${data.user.key}-conv-${randomUUID()}`,
    isRead: true,
    isDraft: true,
    webLink: webLinkFor(id),
    body,
    from: null,
    sender: null,
    toRecipients,
    ccRecipients,
    bccRecipients,
    replyTo: [],
    attachments: [],
  };
}

function createDraft({ data, body }: GraphContext): GraphReply {
  if (!isObject(body)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  const draft = composeMessage(data, body, 'drafts', new Date().toISOString());
  if ('status' in draft) return draft;
  data.messages.push(draft);
  return { status: 201, body: present(draft, false) };
}

/** Saves the sender's copy, and delivers to the inboxes of recipients who are sample users of the same tenant. */
function sendMail({ data, body, tenantUsers }: GraphContext): GraphReply {
  if (!isObject(body)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  const input = body['message'];
  if (!isObject(input)) return graphError(400, 'ErrorInvalidParameter', 'The value of the parameter \'Message\' is empty.');
  const now = new Date().toISOString();
  const composed = composeMessage(data, input, 'sentitems', now);
  if ('status' in composed) return composed;
  const sender: MicrosoftGraph.Recipient = { emailAddress: { name: data.profile.displayName ?? data.user.name, address: data.user.upn } };
  const sent: StoredMessage = { ...composed, from: sender, sender, sentDateTime: now, isDraft: false };
  const everyone = [...(sent.toRecipients ?? []), ...(sent.ccRecipients ?? []), ...(sent.bccRecipients ?? [])];
  if (everyone.length === 0) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  if (body['saveToSentItems'] !== false && body['saveToSentItems'] !== 'false') data.messages.push(sent);
  const delivered = new Set<string>();
  for (const recipient of everyone) {
    const address = recipient.emailAddress?.address?.toLowerCase() ?? '';
    const mailbox = tenantUsers.find((candidate) => candidate.user.upn.toLowerCase() === address);
    if (mailbox === undefined || delivered.has(address)) continue;
    delivered.add(address);
    const id = `${mailbox.user.key}-msg-${randomUUID()}=`;
    // Bcc stays on the sender's copy only.
    mailbox.messages.push({ ...sent, id, parentFolderId: mailFolderId(mailbox, 'inbox'), isRead: false, bccRecipients: [], webLink: webLinkFor(id), attachments: [] });
  }
  return { status: 202 };
}

export const mailRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: /^\/me\/mailFolders\/([^/]+)\/messages$/,
    anyScope: READ_SCOPES,
    handle: (context) => {
      const raw = decodeId(context.params[0]);
      const folder = raw === undefined ? undefined : findFolder(context.data, raw);
      if (folder === undefined) return NOT_FOUND();
      return listReply(context.data.messages.filter((message) => message.parentFolderId === folder.id), context);
    },
  },
  {
    method: 'GET',
    pattern: /^\/me\/messages$/,
    anyScope: READ_SCOPES,
    handle: (context) => listReply(context.data.messages, context),
  },
  {
    method: 'GET',
    pattern: /^\/me\/messages\/([^/]+)$/,
    anyScope: READ_SCOPES,
    handle: getMessage,
  },
  {
    method: 'POST',
    pattern: /^\/me\/messages$/,
    anyScope: ['Mail.ReadWrite'],
    handle: createDraft,
  },
  {
    method: 'POST',
    pattern: /^\/me\/sendMail$/,
    anyScope: ['Mail.Send'],
    handle: sendMail,
  },
];

// ---- sample mail ----

interface Theme {
  readonly project: string;
  readonly store: string;
  readonly product: string;
}

const THEMES: Record<string, Theme> = {
  adele: { project: 'Contoso Retail Q3', store: 'Seattle flagship store', product: 'Surface Go' },
  alex: { project: 'Spring Campaign', store: 'Redmond pop-up', product: 'Contoso Headphones' },
  megan: { project: 'Fabrikam X1 Roadmap', store: 'Berlin showroom', product: 'X1 Drone' },
};

const COLLEAGUES = [
  { name: 'Lee Gu', alias: 'LeeG' },
  { name: 'Nestor Wilke', alias: 'NestorW' },
  { name: 'Patti Fernandez', alias: 'PattiF' },
  { name: 'Lynne Robbins', alias: 'LynneR' },
];

interface SeedMessage {
  readonly slug: string;
  readonly folder: WellKnownFolder;
  readonly hoursAgo: number;
  readonly subject: string;
  readonly from: MicrosoftGraph.Recipient;
  readonly to: MicrosoftGraph.Recipient[];
  readonly cc?: MicrosoftGraph.Recipient[];
  readonly body: MicrosoftGraph.ItemBody;
  readonly isRead?: boolean;
  readonly importance?: MicrosoftGraph.Importance;
  readonly attachments?: readonly { name: string; contentType: string; bytes: number; isInline?: boolean }[];
}

/** Fixed, so listings and pages are the same on every run. */
const SEED_NOW = Date.UTC(2025, 5, 2, 9, 0, 0);

function storedMessage(data: UserData, seed: SeedMessage): StoredMessage {
  const id = `AAMk-${data.user.key}-${seed.slug}=`;
  const when = new Date(SEED_NOW - seed.hoursAgo * 3_600_000).toISOString();
  const attachments: StoredAttachment[] = (seed.attachments ?? []).map((attachment, index) => ({
    '@odata.type': '#microsoft.graph.fileAttachment',
    id: `${id}-att-${index}`,
    name: attachment.name,
    contentType: attachment.contentType,
    size: attachment.bytes,
    isInline: attachment.isInline ?? false,
    lastModifiedDateTime: when,
    contentBytes: Buffer.alloc(attachment.bytes, index + 1).toString('base64'),
  }));
  const draft = seed.folder === 'drafts';
  return {
    id,
    createdDateTime: when,
    lastModifiedDateTime: when,
    receivedDateTime: when,
    sentDateTime: draft ? null : when,
    hasAttachments: attachments.some((attachment) => !attachment.isInline),
    internetMessageId: `<${seed.slug}.${data.user.key}@mail.example>`,
    subject: seed.subject,
    bodyPreview: previewOf(seed.body),
    importance: seed.importance ?? 'normal',
    parentFolderId: mailFolderId(data, seed.folder),
    conversationId: `${data.user.key}-conv-${seed.slug}`,
    isRead: seed.isRead ?? true,
    isDraft: draft,
    webLink: webLinkFor(id),
    body: seed.body,
    from: draft ? null : seed.from,
    sender: draft ? null : seed.from,
    toRecipients: seed.to,
    ccRecipients: seed.cc ?? [],
    bccRecipients: [],
    replyTo: [],
    attachments,
  };
}

function html(content: string): MicrosoftGraph.ItemBody {
  return { contentType: 'html', content };
}

function text(content: string): MicrosoftGraph.ItemBody {
  return { contentType: 'text', content };
}

/**
 * Five well-known folders per user; nine varied messages (unread ones, HTML with scripts and styles,
 * attachments, a newsletter longer than get_message's cap) themed per user so isolation shows; and 120
 * archived messages for paging.
 */
export function seedMail(data: UserData): void {
  const { key, upn } = data.user;
  const theme = THEMES[key] ?? { project: `${key} project`, store: `${key} store`, product: `${key} product` };
  const domain = upn.split('@')[1] ?? 'example.com';
  const first = data.user.name.split(' ')[0] ?? data.user.name;
  const person = (name: string, address: string): MicrosoftGraph.Recipient => ({ emailAddress: { name, address } });
  const me = person(data.user.name, upn);
  const [lee, nestor, patti, lynne] = COLLEAGUES.map((colleague) => person(colleague.name, `${colleague.alias}@${domain}`)) as [MicrosoftGraph.Recipient, MicrosoftGraph.Recipient, MicrosoftGraph.Recipient, MicrosoftGraph.Recipient];
  const peer = SAMPLE_USERS.find((candidate) => candidate.tid === data.user.tid && candidate.key !== key);
  const peerSender = peer === undefined ? nestor : person(peer.name, peer.upn);

  data.mailFolders = Object.entries(WELL_KNOWN_FOLDERS).map(([folder, displayName]) => ({
    id: mailFolderId(data, folder as WellKnownFolder),
    displayName,
    parentFolderId: `${key}-folder-msgfolderroot`,
    childFolderCount: 0,
    isHidden: false,
  }));

  const newsletter = Array.from({ length: 700 }, (_, index) =>
    `<p>Item ${index + 1}: what changed this week for the ${theme.project} team, in one short paragraph of news.</p>`).join('');

  const seeds: SeedMessage[] = [
    {
      slug: 'report', folder: 'inbox', hoursAgo: 1, isRead: false, importance: 'high',
      subject: `Quarterly report: ${theme.project}`, from: lee, to: [me], cc: [patti],
      body: html(`<html><head><style>p { color: red; font-family: Segoe UI; }</style></head><body><script>document.title = 'tracking-pixel-code';</script><p>Hi ${first},</p><p>Attached is the <b>quarterly report</b> for ${theme.project}. Sales at the ${theme.store} are up 12%.</p><p>Lee</p></body></html>`),
      attachments: [{ name: 'quarterly-report.pdf', contentType: 'application/pdf', bytes: 48_213 }, { name: 'logo.png', contentType: 'image/png', bytes: 2_048, isInline: true }],
    },
    {
      slug: 'lunch', folder: 'inbox', hoursAgo: 3,
      subject: 'Lunch on Friday?', from: nestor, to: [me],
      body: text(`Hi ${first}, shall we try the new place near the ${theme.store} on Friday? Nestor`),
    },
    {
      slug: 'peer', folder: 'inbox', hoursAgo: 5, isRead: false,
      subject: `Re: ${theme.product} launch checklist`, from: peerSender, to: [me],
      body: html(`<div><p>${first}, I updated the <i>${theme.product}</i> launch checklist.</p><ul><li>Pricing approved</li><li>Stock on its way</li></ul></div>`),
    },
    {
      slug: 'newsletter', folder: 'inbox', hoursAgo: 8, isRead: false,
      subject: `Weekly digest: ${theme.project}`, from: person('Contoso News', `news@${domain}`), to: [me],
      body: html(`<html><head><style>.digest { margin: 0 }</style><script>window.trackOpen && window.trackOpen();</script></head><body class="digest">${newsletter}</body></html>`),
    },
    {
      slug: 'budget', folder: 'inbox', hoursAgo: 26,
      subject: `Re: budget approval for ${theme.project}`, from: patti, to: [me], cc: [lee],
      body: text(`Approved. Please keep the ${theme.store} spend within the plan. Patti`),
    },
    {
      slug: 'notes', folder: 'inbox', hoursAgo: 30,
      subject: `Meeting notes: ${theme.project} sync`, from: lynne, to: [me, lee],
      body: html(`<h2>Decisions</h2><ol><li>Ship the ${theme.product} bundle</li><li>Review the report next week</li></ol>`),
    },
    {
      slug: 'invoice', folder: 'inbox', hoursAgo: 50,
      subject: 'Invoice 4711 from Northwind Traders', from: person('Northwind Billing', 'billing@northwind.example'), to: [me],
      body: text(`Dear ${data.user.name}, please find invoice 4711 attached. Payment is due in 30 days.`),
      attachments: [{ name: 'invoice-4711.pdf', contentType: 'application/pdf', bytes: 15_360 }],
    },
    {
      slug: 'status', folder: 'sentitems', hoursAgo: 20,
      subject: `Status update: ${theme.project}`, from: me, to: [lee],
      body: text(`Lee, the ${theme.project} status report is on track for Friday. ${first}`),
    },
    {
      slug: 'offsite', folder: 'drafts', hoursAgo: 2,
      subject: 'Offsite agenda (draft)', from: me, to: [lynne],
      body: text('Day 1: strategy. Day 2: team building.'),
    },
    {
      slug: 'promo', folder: 'deleteditems', hoursAgo: 70,
      subject: 'Last chance: 20% off office chairs', from: person('Tailspin Deals', 'deals@tailspin.example'), to: [me],
      body: html('<p>Only <b>today</b>: 20% off.</p>'),
    },
  ];
  for (let n = 1; n <= 120; n++) {
    const colleague = [lee, nestor, patti, lynne][n % 4] ?? lee;
    seeds.push({
      slug: `archive-${String(n).padStart(3, '0')}`, folder: 'archive', hoursAgo: 100 + n * 24, isRead: n % 10 !== 0,
      subject: `Archived ${theme.project} note ${n}`, from: colleague, to: [me],
      body: text(`Note ${n} about ${theme.project}, kept for the record.`),
    });
  }
  data.messages = seeds.map((seed) => storedMessage(data, seed));
}
