// Local Graph: Teams chats, joined teams, channels and their messages, per user, and the sample conversations.
import { createHash } from 'node:crypto';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { SAMPLE_USERS, type SampleUser } from '../sampleUsers.js';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page } from './odata.js';
import { checkTop, decodeParam, isObject } from './pageSize.js';
import type { StoredChannel, StoredChat, StoredChatMessage, StoredPost, StoredTeam, UserData } from './userData.js';

// Graph's delegated permissions per API (least privileged first).
const CHATS_READ = ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'];
const CHAT_MESSAGES_READ = ['Chat.Read', 'Chat.ReadWrite'];
const CHAT_MESSAGES_SEND = ['ChatMessage.Send', 'Chat.ReadWrite', 'Group.ReadWrite.All'];
const TEAMS_READ = ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', 'Directory.Read.All'];
const CHANNELS_READ = ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All', 'Group.Read.All'];
const CHANNEL_MESSAGES_READ = ['ChannelMessage.Read.All', 'Group.Read.All', 'Group.ReadWrite.All'];
const CHANNEL_MESSAGES_SEND = ['ChannelMessage.Send', 'Group.ReadWrite.All'];

/** Teams' limits: at most 50 chats or messages per page. */
const MAX_TOP = 50;
/** Posts in each user's busiest channel and messages in their crew chat, for paging. */
export const CHANNEL_POSTS = 60;
export const CREW_CHAT_MESSAGES = 120;

const notFound = (what: string): GraphReply => graphError(404, 'NotFound', `${what} not found.`);
const forbidden = (): GraphReply => graphError(403, 'Forbidden', 'Forbidden. The user is not a member of this conversation.');

/** Graph writes Teams ids raw in nextLinks (`/chats/19:…@thread.v2/messages`), so the stand-in does too. */
function rawIdsUrl(url: URL): URL {
  const raw = new URL(url);
  raw.pathname = raw.pathname.replace(/%3A/gi, ':').replace(/%40/g, '@');
  return raw;
}

// ---------------------------------------------------------------------------------------------
// How stored items look on the wire: the default property set, navigation properties only when expanded.

function presentMessage(message: StoredChatMessage): StoredChatMessage {
  const { replies: _replies, ...rest } = message;
  return rest;
}

function lastMessagePreview(chat: StoredChat): MicrosoftGraph.ChatMessageInfo | null {
  const last = [...chat.messages].sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''))[0];
  if (last === undefined) return null;
  return {
    id: last.id,
    createdDateTime: last.createdDateTime ?? null,
    isDeleted: last.deletedDateTime != null,
    messageType: last.messageType ?? 'message',
    eventDetail: last.eventDetail ?? null,
    body: last.deletedDateTime != null ? { contentType: 'text', content: '' } : last.body ?? null,
    from: last.from ?? null,
  };
}

const CHAT_EXPANDABLE = new Set(['members', 'lastMessagePreview']);

function listChats({ data, url }: GraphContext): GraphReply {
  const top = checkTop(url, MAX_TOP);
  if (top !== undefined) return top;
  const expand = (url.searchParams.get('$expand') ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
  const unknown = expand.find((part) => !CHAT_EXPANDABLE.has(part));
  if (unknown !== undefined) return graphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${unknown}' on type 'microsoft.graph.chat'.`);
  const orderBy = url.searchParams.get('$orderby');
  if (orderBy !== null && orderBy.trim() !== 'lastMessagePreview/createdDateTime desc') {
    return graphError(400, 'BadRequest', 'Only lastMessagePreview/createdDateTime desc is supported in $orderby.');
  }
  const chats = data.chats.map((chat) => {
    const { members, messages: _messages, ...rest } = chat;
    const preview = lastMessagePreview(chat);
    return {
      ...rest,
      ...(expand.includes('members') && { members }),
      ...(expand.includes('lastMessagePreview') && { lastMessagePreview: preview }),
      sortKey: preview?.createdDateTime ?? chat.lastUpdatedDateTime ?? '',
    };
  });
  chats.sort((a, b) => b.sortKey.localeCompare(a.sortKey));
  return { status: 200, body: page(chats.map(({ sortKey: _sortKey, ...chat }) => chat), url, MAX_TOP) };
}

/** The caller's copy of a chat; 403 when it exists but the caller is not a member (Graph tells the two apart), else 404. */
function findChat({ data, tenantUsers, params }: GraphContext): StoredChat | GraphReply {
  const id = decodeParam(params[0]);
  if (id === undefined) return graphError(400, 'BadRequest', 'Invalid chat id.');
  const chat = data.chats.find((candidate) => candidate.id === id);
  if (chat !== undefined) return chat;
  return tenantUsers.some((other) => other.chats.some((candidate) => candidate.id === id)) ? forbidden() : notFound('Chat');
}

const MESSAGE_ORDER = new Set(['createdDateTime desc', 'lastModifiedDateTime desc']);

function listChatMessages(context: GraphContext): GraphReply {
  const chat = findChat(context);
  if ('status' in chat) return chat;
  const { url } = context;
  const top = checkTop(url, MAX_TOP);
  if (top !== undefined) return top;
  const orderBy = url.searchParams.get('$orderby')?.trim() ?? 'lastModifiedDateTime desc';
  if (!MESSAGE_ORDER.has(orderBy)) return graphError(400, 'BadRequest', 'Only createdDateTime desc and lastModifiedDateTime desc are supported in $orderby.');
  const key = orderBy.startsWith('created') ? 'createdDateTime' : 'lastModifiedDateTime';
  const messages = [...chat.messages].sort((a, b) => (b[key] ?? '').localeCompare(a[key] ?? '')).map(presentMessage);
  return { status: 200, body: page(messages, rawIdsUrl(url), 20) };
}

/** A new message from a request body, or the 400 Graph answers for one without content. */
function composeMessage(data: UserData, body: unknown, extra: Partial<StoredChatMessage>): StoredChatMessage | GraphReply {
  const content = isObject(body) && isObject(body['body']) ? body['body']['content'] : undefined;
  const type = isObject(body) && isObject(body['body']) ? body['body']['contentType'] ?? 'text' : 'text';
  if (typeof content !== 'string' || content.trim() === '') return graphError(400, 'BadRequest', 'Message body cannot be empty.');
  if (type !== 'text' && type !== 'html') return graphError(400, 'BadRequest', `Invalid value ${JSON.stringify(type)} for contentType.`);
  const subject = isObject(body) && typeof body['subject'] === 'string' ? body['subject'] : null;
  const now = new Date();
  return {
    id: String(now.getTime() * 1000 + Math.floor(Math.random() * 1000)),
    replyToId: null,
    etag: String(now.getTime()),
    messageType: 'message',
    createdDateTime: now.toISOString(),
    lastModifiedDateTime: now.toISOString(),
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject,
    importance: 'normal',
    locale: 'en-us',
    webUrl: null,
    from: sender(data.user),
    body: { contentType: type, content },
    attachments: [],
    mentions: [],
    reactions: [],
    ...extra,
  };
}

/** Delivers to every copy of the chat: each member of the tenant holds one. */
function sendChatMessage(context: GraphContext): GraphReply {
  const chat = findChat(context);
  if ('status' in chat) return chat;
  const message = composeMessage(context.data, context.body, { chatId: chat.id });
  if ('status' in message) return message;
  for (const member of [context.data, ...context.tenantUsers]) {
    const copy = member.chats.find((candidate) => candidate.id === chat.id);
    if (copy !== undefined && !copy.messages.some((existing) => existing.id === message.id)) copy.messages.push({ ...message });
  }
  return { status: 201, body: message };
}

// ---------------------------------------------------------------------------------------------
// Teams and channels.

function presentTeam(team: StoredTeam): MicrosoftGraph.Team & { id: string } {
  // joinedTeams fills these four only.
  return { id: team.id, displayName: team.displayName ?? null, description: team.description ?? null, isArchived: team.isArchived ?? false };
}

function findTeam({ data, tenantUsers, params }: GraphContext): StoredTeam | GraphReply {
  const id = decodeParam(params[0])?.toLowerCase();
  if (id === undefined) return graphError(400, 'BadRequest', 'Invalid team id.');
  const team = data.teams.find((candidate) => candidate.id === id);
  if (team !== undefined) return team;
  return tenantUsers.some((other) => other.teams.some((candidate) => candidate.id === id)) ? forbidden() : notFound('Team');
}

function findChannel(context: GraphContext): StoredChannel | GraphReply {
  const team = findTeam(context);
  if ('status' in team) return team;
  const id = decodeParam(context.params[1]);
  if (id === undefined) return graphError(400, 'BadRequest', 'Invalid channel id.');
  const channel = team.channels.find((candidate) => candidate.id === id);
  if (channel !== undefined) return channel;
  // A private channel the caller is not in exists only in its members' copies of the team.
  const elsewhere = context.tenantUsers.some((other) => other.teams.some((candidate) => candidate.id === team.id && candidate.channels.some((entry) => entry.id === id)));
  return elsewhere ? forbidden() : notFound('Channel');
}

function listChannels(context: GraphContext): GraphReply {
  const team = findTeam(context);
  if ('status' in team) return team;
  const channels = team.channels.map(({ posts: _posts, ...channel }) => channel);
  return { status: 200, body: page(channels, context.url, 100) };
}

function listPosts(context: GraphContext): GraphReply {
  const channel = findChannel(context);
  if ('status' in channel) return channel;
  const { url } = context;
  const top = checkTop(url, MAX_TOP);
  if (top !== undefined) return top;
  const expand = url.searchParams.get('$expand');
  if (expand !== null && expand.trim() !== 'replies') return graphError(400, 'BadRequest', `Parsing OData Select and Expand failed: could not expand '${expand}'.`);
  const posts = [...channel.posts]
    .sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''))
    .map((post) => (expand === null ? presentMessage(post) : { ...presentMessage(post), replies: post.replies.map(presentMessage) }));
  // $select is not supported on channel messages: page() must not narrow them.
  const unselected = rawIdsUrl(url);
  unselected.searchParams.delete('$select');
  return { status: 200, body: page(posts, unselected, 20) };
}

function findPost(context: GraphContext): StoredPost | GraphReply {
  const channel = findChannel(context);
  if ('status' in channel) return channel;
  const id = decodeParam(context.params[2]);
  const post = channel.posts.find((candidate) => candidate.id === id);
  return post ?? notFound('Message');
}

function listReplies(context: GraphContext): GraphReply {
  const post = findPost(context);
  if ('status' in post) return post;
  const top = checkTop(context.url, MAX_TOP);
  if (top !== undefined) return top;
  const replies = [...post.replies].sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? '')).map(presentMessage);
  return { status: 200, body: page(replies, rawIdsUrl(context.url), 20) };
}

/** Every copy of a channel among the tenant's users: the members of the team (and of a private channel). */
function channelCopies(context: GraphContext, teamId: string, channelId: string): StoredChannel[] {
  return [context.data, ...context.tenantUsers]
    .flatMap((member) => member.teams.filter((team) => team.id === teamId))
    .flatMap((team) => team.channels.filter((channel) => channel.id === channelId))
    .filter((channel, index, all) => all.indexOf(channel) === index);
}

function postMessage(context: GraphContext): GraphReply {
  const channel = findChannel(context);
  if ('status' in channel) return channel;
  const teamId = (decodeParam(context.params[0]) ?? '').toLowerCase();
  const message = composeMessage(context.data, context.body, { channelIdentity: { teamId, channelId: channel.id } });
  if ('status' in message) return message;
  const posted = { ...message, webUrl: webUrlOf(channel.id, message.id) };
  for (const copy of channelCopies(context, teamId, channel.id)) copy.posts.push({ ...posted, replies: [] });
  return { status: 201, body: posted };
}

function postReply(context: GraphContext): GraphReply {
  const post = findPost(context);
  if ('status' in post) return post;
  const teamId = (decodeParam(context.params[0]) ?? '').toLowerCase();
  const channelId = decodeParam(context.params[1]) ?? '';
  const message = composeMessage(context.data, context.body, { channelIdentity: { teamId, channelId }, replyToId: post.id, subject: null });
  if ('status' in message) return message;
  const reply = { ...message, webUrl: webUrlOf(channelId, message.id) };
  for (const copy of channelCopies(context, teamId, channelId)) copy.posts.find((candidate) => candidate.id === post.id)?.replies.push({ ...reply });
  return { status: 201, body: reply };
}

const CHAT = '/chats/([^/]+)/messages';
const CHANNEL = '/teams/([^/]+)/channels/([^/]+)/messages';

export const teamsRoutes: readonly GraphRoute[] = [
  { method: 'GET', pattern: /^\/me\/chats$/, anyScope: CHATS_READ, handle: listChats },
  { method: 'GET', pattern: new RegExp(`^(?:/me)?${CHAT}$`), anyScope: CHAT_MESSAGES_READ, handle: listChatMessages },
  { method: 'POST', pattern: new RegExp(`^${CHAT}$`), anyScope: CHAT_MESSAGES_SEND, handle: sendChatMessage },
  {
    method: 'GET', pattern: /^\/me\/joinedTeams$/, anyScope: TEAMS_READ,
    handle: ({ data, url }) => ({ status: 200, body: page(data.teams.map(presentTeam), url, 100) }),
  },
  { method: 'GET', pattern: /^\/teams\/([^/]+)\/channels$/, anyScope: CHANNELS_READ, handle: listChannels },
  { method: 'GET', pattern: new RegExp(`^${CHANNEL}$`), anyScope: CHANNEL_MESSAGES_READ, handle: listPosts },
  { method: 'GET', pattern: new RegExp(`^${CHANNEL}/([^/]+)/replies$`), anyScope: CHANNEL_MESSAGES_READ, handle: listReplies },
  { method: 'POST', pattern: new RegExp(`^${CHANNEL}$`), anyScope: CHANNEL_MESSAGES_SEND, handle: postMessage },
  { method: 'POST', pattern: new RegExp(`^${CHANNEL}/([^/]+)/replies$`), anyScope: CHANNEL_MESSAGES_SEND, handle: postReply },
];

// ---------------------------------------------------------------------------------------------
// Sample conversations. Chats and teams shared by sample users are built from what they share (the
// pair, the tenant), never from who is seeded first, so every member's copy is the same.

/** Fixed, so listings and pages are the same on every run. */
const SEED_NOW = Date.UTC(2025, 5, 2, 9, 0, 0);

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function guidOf(seed: string): string {
  const h = hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function webUrlOf(channelId: string, messageId: string): string {
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${messageId}`;
}

interface Person {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

function personOf(user: SampleUser): Person {
  return { id: user.oid, name: user.name, email: user.upn };
}

function colleagues(tenantId: string, domain: string): Person[] {
  return [['Lee Gu', 'LeeG'], ['Nestor Wilke', 'NestorW'], ['Patti Fernandez', 'PattiF']]
    .map(([name = '', alias = '']) => ({ id: guidOf(`${tenantId}/${alias}`), name, email: `${alias}@${domain}` }));
}

function sender(user: SampleUser | Person): MicrosoftGraph.ChatMessageFromIdentitySet {
  const person = 'oid' in user ? personOf(user) : user;
  return { application: null, device: null, user: { id: person.id, displayName: person.name, userIdentityType: 'aadUser' } as MicrosoftGraph.Identity };
}

function memberOf(person: Person, tenantId: string): StoredChat['members'][number] {
  return { id: `member-${person.id}`, displayName: person.name, userId: person.id, email: person.email, tenantId, roles: ['owner'] };
}

interface SeedMessage {
  readonly from: Person;
  readonly minutesAgo: number;
  readonly html?: string;
  readonly text?: string;
  readonly mentions?: MicrosoftGraph.ChatMessageMention[];
  readonly attachments?: MicrosoftGraph.ChatMessageAttachment[];
  readonly deleted?: boolean;
  readonly event?: string;
  readonly subject?: string;
}

function storedMessage(seed: SeedMessage, extra: Partial<StoredChatMessage>): StoredChatMessage {
  const created = new Date(SEED_NOW - seed.minutesAgo * 60_000).toISOString();
  const id = String(SEED_NOW - seed.minutesAgo * 60_000);
  return {
    id,
    replyToId: null,
    etag: id,
    messageType: seed.event === undefined ? 'message' : 'systemEventMessage',
    createdDateTime: created,
    lastModifiedDateTime: created,
    lastEditedDateTime: null,
    deletedDateTime: seed.deleted === true ? created : null,
    subject: seed.subject ?? null,
    importance: 'normal',
    locale: 'en-us',
    webUrl: null,
    from: seed.event === undefined ? sender(seed.from) : null,
    body: seed.deleted === true || seed.event !== undefined
      ? { contentType: 'html', content: seed.event === undefined ? '' : '<systemEventMessage/>' }
      : seed.html !== undefined ? { contentType: 'html', content: seed.html } : { contentType: 'text', content: seed.text ?? '' },
    attachments: seed.attachments ?? [],
    mentions: seed.mentions ?? [],
    reactions: [],
    ...(seed.event !== undefined && { eventDetail: { '@odata.type': `#microsoft.graph.${seed.event}EventMessageDetail` } }),
    ...extra,
  };
}

/** A mention of `person` the way Teams writes one per word of the name. */
function mentionsOf(person: Person, firstId: number): { html: string; mentions: MicrosoftGraph.ChatMessageMention[] } {
  const words = person.name.split(' ');
  return {
    html: words.map((word, index) => `<at id="${firstId + index}">${word}</at>`).join('&nbsp;'),
    mentions: words.map((word, index) => ({
      id: firstId + index,
      mentionText: word,
      mentioned: { application: null, device: null, conversation: null, user: { id: person.id, displayName: person.name, userIdentityType: 'aadUser' } as MicrosoftGraph.Identity },
    })),
  };
}

/** The one-on-one chat of two sample users of one tenant. */
function pairChat(a: SampleUser, b: SampleUser): StoredChat {
  const [first, second] = [a, b].sort((x, y) => x.oid.localeCompare(y.oid)) as [SampleUser, SampleUser];
  const id = `19:${first.oid}_${second.oid}@unq.gbl.spaces`;
  const [p, q] = [personOf(first), personOf(second)];
  const mention = mentionsOf(q, 0);
  const seeds: SeedMessage[] = [
    { from: p, minutesAgo: 300, text: `Hi ${q.name.split(' ')[0] ?? ''}, do you have the store figures?` },
    { from: q, minutesAgo: 290, html: '<p>Yes, <b>attached</b> below.</p><attachment id="att-1"></attachment>', attachments: [{ id: 'att-1', contentType: 'reference', contentUrl: 'https://contoso.sharepoint.example/figures.xlsx', name: 'figures.xlsx' }] },
    { from: p, minutesAgo: 280, html: `<div><style>p{color:red}</style><script>alert('x')</script><p>Thanks ${mention.html}, that is what the team needed.</p></div>`, mentions: mention.mentions },
    { from: q, minutesAgo: 270, text: 'This one was a typo.', deleted: true },
    { from: p, minutesAgo: 260, event: 'chatRenamed' },
    { from: q, minutesAgo: 250, text: `Pair chat ${first.key}-${second.key}: see you at the review.` },
  ];
  const messages = seeds.map((seed) => storedMessage(seed, { chatId: id }));
  return {
    id, topic: null, chatType: 'oneOnOne', createdDateTime: messages[0]?.createdDateTime ?? null, lastUpdatedDateTime: messages[0]?.createdDateTime ?? null,
    tenantId: first.tid, webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(id)}/0`,
    members: [memberOf(p, first.tid), memberOf(q, first.tid)],
    messages,
  };
}

/** A group chat of one sample user with colleagues who are not sample users, long enough to page through. */
function crewChat(data: UserData, crew: readonly Person[]): StoredChat {
  const me = personOf(data.user);
  const id = `19:${hex(`crew/${data.user.oid}`).slice(0, 32)}@thread.v2`;
  const messages = Array.from({ length: CREW_CHAT_MESSAGES }, (_, index) => storedMessage({
    from: index % 3 === 0 ? me : crew[index % crew.length] ?? me,
    minutesAgo: 600 + (CREW_CHAT_MESSAGES - index) * 7,
    text: `${data.user.key} crew note ${index + 1}: shelf plan for aisle ${index % 12}.`,
  }, { chatId: id }));
  return {
    id, topic: `${data.user.name.split(' ')[0] ?? ''}'s launch crew`, chatType: 'group', createdDateTime: messages[0]?.createdDateTime ?? null,
    lastUpdatedDateTime: messages[0]?.createdDateTime ?? null, tenantId: data.user.tid, webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(id)}/0`,
    members: [me, ...crew].map((person) => memberOf(person, data.user.tid)),
    messages,
  };
}

function channelOf(teamId: string, name: string, membershipType: MicrosoftGraph.ChannelMembershipType, posts: SeedMessage[][]): StoredChannel {
  const id = `19:${hex(`${teamId}/${name}`).slice(0, 32)}@thread.tacv2`;
  return {
    id, displayName: name, description: `${name} channel`, membershipType, createdDateTime: new Date(SEED_NOW - 90 * 86_400_000).toISOString(),
    webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(id)}/${encodeURIComponent(name)}`,
    posts: posts.map(([root, ...replies]) => {
      const identity = { teamId, channelId: id };
      const post = storedMessage(root ?? { from: { id: '', name: '', email: '' }, minutesAgo: 0, text: '' }, { channelIdentity: identity });
      return {
        ...post,
        webUrl: webUrlOf(id, post.id),
        replies: replies.map((reply) => {
          const stored = storedMessage(reply, { channelIdentity: identity, replyToId: post.id, subject: null });
          return { ...stored, webUrl: webUrlOf(id, stored.id) };
        }),
      };
    }),
  };
}

/** The tenant's shared team; `lead` (the tenant's first sample user) also sees its private channel. */
function tenantTeam(tenantId: string, members: readonly Person[], crew: readonly Person[], isLead: boolean): StoredTeam {
  const id = guidOf(`team/${tenantId}`);
  const [lead = members[0], second = members[1] ?? crew[0]] = members;
  if (lead === undefined || second === undefined) throw new Error('a tenant team needs members');
  const mention = mentionsOf(second, 0);
  const general = Array.from({ length: CHANNEL_POSTS }, (_, index): SeedMessage[] => [
    { from: index % 2 === 0 ? lead : crew[index % crew.length] ?? lead, minutesAgo: 2_000 + (CHANNEL_POSTS - index) * 30, text: `Weekly update ${index + 1} for ${tenantId.slice(0, 8)}.`, subject: `Update ${index + 1}` },
    ...Array.from({ length: index % 4 }, (_unused, reply): SeedMessage => ({ from: crew[reply % crew.length] ?? lead, minutesAgo: 2_000 + (CHANNEL_POSTS - index) * 30 - reply - 1, text: `Reply ${reply + 1} to update ${index + 1}.` })),
  ]);
  const launch: SeedMessage[][] = [
    [
      { from: lead, minutesAgo: 120, subject: 'Launch plan', html: `<p>${mention.html}, the launch plan is ready for review.</p><script>steal()</script>`, mentions: mention.mentions },
      { from: second, minutesAgo: 110, text: 'Looks good; I added the pricing.' },
      { from: crew[0] ?? lead, minutesAgo: 100, html: '<p>Signage is <i>ordered</i>.</p>' },
    ],
    [{ from: crew[1] ?? lead, minutesAgo: 60, subject: 'Stock', text: 'Stock arrives on Thursday.' }],
  ];
  const channels = [
    channelOf(id, 'General', 'standard', general),
    channelOf(id, 'Launch', 'standard', launch),
    ...(isLead ? [channelOf(id, 'Leadership', 'private', [[{ from: lead, minutesAgo: 30, subject: 'Budget', text: `Confidential budget for ${tenantId.slice(0, 8)}.` }]])] : []),
  ];
  return { id, displayName: 'Retail Operations', description: 'Everyone in stores and marketing', isArchived: false, channels };
}

/** A team only this sample user belongs to. */
function ownTeam(data: UserData, crew: readonly Person[]): StoredTeam {
  const id = guidOf(`team/${data.user.oid}`);
  const me = personOf(data.user);
  const channels = [channelOf(id, 'General', 'standard', [[{ from: me, minutesAgo: 45, subject: 'Kickoff', text: `${data.user.key}-only team kickoff notes.` }, { from: crew[0] ?? me, minutesAgo: 40, text: 'Welcome!' }]])];
  return { id, displayName: `${data.user.name.split(' ')[0] ?? ''}'s project team`, description: null, isArchived: false, channels };
}

/** Chats with each other sample user of the tenant and a crew of colleagues; the tenant's team, and a team of one's own. */
export function seedTeams(data: UserData): void {
  const domain = data.user.upn.split('@')[1] ?? 'example.com';
  const crew = colleagues(data.user.tid, domain);
  const tenantUsers = SAMPLE_USERS.filter((user) => user.tid === data.user.tid);
  data.chats = [
    ...tenantUsers.filter((user) => user.oid !== data.user.oid).map((user) => pairChat(data.user, user)),
    crewChat(data, crew),
  ];
  data.teams = [
    tenantTeam(data.user.tid, tenantUsers.map(personOf), crew, tenantUsers[0]?.oid === data.user.oid),
    ownTeam(data, crew),
  ];
}
