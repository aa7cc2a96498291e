// Local Graph: Microsoft Search (POST /search/query) over the caller's own mail, chats and channel posts, events and drive items.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { highlight, searchDriveItems } from './filesRoutes.js';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import type { UserData } from './userData.js';

/** The scopes Microsoft Search accepts for each entity type (Graph's search-query permissions). */
const SCOPES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  message: ['Mail.Read', 'Mail.ReadWrite'],
  chatMessage: ['Chat.Read', 'Chat.ReadWrite', 'ChannelMessage.Read.All'],
  event: ['Calendars.Read', 'Calendars.ReadWrite'],
  driveItem: ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'],
};

/** Graph interleaves message with chatMessage only, and event with nothing; drive types are not served here. */
const COMBINABLE = [['message', 'chatMessage'], ['event'], ['driveItem']];

/** message and event pages hold at most 25 hits (Graph's documented limit). */
const MAX_SIZE: Readonly<Record<string, number>> = { message: 25, chatMessage: 25, event: 25, driveItem: 500 };

interface Searchable {
  readonly text: string;
  readonly summarySource: string;
  readonly sortKey: string;
  readonly resource: Record<string, unknown>;
}

const plain = (html: string | null | undefined): string => (html ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
const address = (email: MicrosoftGraph.EmailAddress | null | undefined) => ({ emailAddress: { name: email?.name ?? null, address: email?.address ?? null } });

function messages(data: UserData): Searchable[] {
  return data.messages.map((message) => {
    const body = plain(message.body?.content);
    return {
      text: [message.subject, message.from?.emailAddress?.name, message.from?.emailAddress?.address, body].join('\n'),
      summarySource: body || (message.subject ?? ''),
      sortKey: message.receivedDateTime ?? '',
      resource: {
        '@odata.type': '#microsoft.graph.message',
        id: message.id,
        subject: message.subject ?? null,
        from: address(message.from?.emailAddress),
        sender: address(message.sender?.emailAddress ?? message.from?.emailAddress),
        receivedDateTime: message.receivedDateTime ?? null,
        sentDateTime: message.sentDateTime ?? null,
        webLink: message.webLink ?? null,
      },
    };
  });
}

function chatMessage(message: MicrosoftGraph.ChatMessage & { id: string }, where: Record<string, unknown>): Searchable {
  const body = plain(message.body?.content);
  const name = message.from?.user?.displayName ?? null;
  return {
    text: [name, body].join('\n'),
    summarySource: body,
    sortKey: message.createdDateTime ?? '',
    resource: {
      '@odata.type': '#microsoft.graph.chatMessage',
      id: message.id,
      createdDateTime: message.createdDateTime ?? null,
      from: { emailAddress: { name, address: null } },
      webLink: message.webUrl ?? null,
      ...where,
    },
  };
}

function chatMessages(data: UserData): Searchable[] {
  const inChats = data.chats.flatMap((chat) => chat.messages.filter((message) => message.deletedDateTime == null).map((message) => chatMessage(message, { chatId: chat.id })));
  const inChannels = data.teams.flatMap((team) => team.channels.flatMap((channel) => channel.posts.flatMap((post) => [post, ...post.replies].map((message) =>
    chatMessage(message, { channelIdentity: { teamId: team.id, channelId: channel.id } })))));
  return [...inChats, ...inChannels];
}

function events(data: UserData): Searchable[] {
  return data.events.map((event) => ({
    text: [event.subject, event.organizer?.emailAddress?.name, event.bodyPreview, event.location?.displayName].join('\n'),
    summarySource: event.bodyPreview ?? event.subject ?? '',
    sortKey: event.start?.dateTime ?? '',
    resource: {
      '@odata.type': '#microsoft.graph.event',
      id: event.id,
      subject: event.subject ?? null,
      start: event.start ?? null,
      end: event.end ?? null,
      organizer: address(event.organizer?.emailAddress),
      webLink: event.webLink ?? null,
    },
  }));
}

function container(items: readonly Searchable[], terms: readonly string[], from: number, size: number): MicrosoftGraph.SearchHitsContainer {
  const matches = items.filter((item) => terms.every((term) => item.text.toLowerCase().includes(term))).sort((a, b) => b.sortKey.localeCompare(a.sortKey));
  const hits = matches.slice(from, from + size).map((item, index) => ({
    hitId: String(item.resource['id']),
    rank: from + index + 1,
    summary: highlight(item.summarySource, terms),
    resource: item.resource,
  }));
  return { hits, total: matches.length, moreResultsAvailable: from + size < matches.length };
}

function searchQuery({ data, body, scopes }: GraphContext): GraphReply {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length !== 1) return graphError(400, 'BadRequest', 'Exactly one search request is supported.');
  const request = requests[0] as MicrosoftGraph.SearchRequest;
  const types = request.entityTypes ?? [];
  if (types.length === 0 || !COMBINABLE.some((group) => types.every((type) => group.includes(type)))) {
    return graphError(400, 'BadRequest', `The entity types ${types.join(', ')} cannot be requested together.`);
  }
  for (const type of types) {
    if (!(SCOPES_BY_TYPE[type] ?? []).some((scope) => scopes.includes(scope))) {
      return graphError(403, 'Forbidden', `Access to ${type} requires one of ${(SCOPES_BY_TYPE[type] ?? []).join(', ')}.`);
    }
  }
  const queryString = request.query?.queryString;
  if (typeof queryString !== 'string' || queryString.trim() === '') return graphError(400, 'BadRequest', 'Query string is required.');
  const from = request.from ?? 0;
  const size = request.size ?? 25;
  const maxSize = Math.min(...types.map((type) => MAX_SIZE[type] ?? 25));
  if (!Number.isInteger(from) || from < 0 || !Number.isInteger(size) || size < 1 || size > maxSize) {
    return graphError(400, 'BadRequest', `from must be 0 or more and size between 1 and ${maxSize}.`);
  }
  const terms = queryString.toLowerCase().replace(/"/g, ' ').split(/\s+/).filter((term) => term !== '');
  let hitsContainer: MicrosoftGraph.SearchHitsContainer;
  if (types.includes('driveItem')) {
    hitsContainer = searchDriveItems(data, request, terms, from, size);
  } else if (types.includes('event')) {
    hitsContainer = container(events(data), terms, from, size);
  } else {
    const items = [...(types.includes('message') ? messages(data) : []), ...(types.includes('chatMessage') ? chatMessages(data) : [])];
    hitsContainer = container(items, terms, from, size);
  }
  const response: MicrosoftGraph.SearchResponse = { searchTerms: terms, hitsContainers: [hitsContainer] };
  return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.searchResponse)', value: [response] } };
}

export const searchRoutes: readonly GraphRoute[] = [
  { method: 'POST', pattern: /^\/search\/query$/, anyScope: [...new Set(Object.values(SCOPES_BY_TYPE).flat())], handle: searchQuery },
];
