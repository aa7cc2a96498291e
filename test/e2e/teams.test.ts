// The Teams tools over a real MCP client and HTTP: chats, teams, channels, sending and posting, isolation, paging and failures.
import type { McpClient } from '../support/mcpClient.js';
import { afterEach, describe, expect, it } from 'vitest';
import { listChannelMessages } from '../../shared/tools/teams/listChannelMessages.js';
import { listChannels } from '../../shared/tools/teams/listChannels.js';
import { listChatMessages } from '../../shared/tools/teams/listChatMessages.js';
import { listChats } from '../../shared/tools/teams/listChats.js';
import { listTeams } from '../../shared/tools/teams/listTeams.js';
import { postChannelMessage } from '../../shared/tools/teams/postChannelMessage.js';
import { sendChatMessage } from '../../shared/tools/teams/sendChatMessage.js';
import { CHANNEL_POSTS, CREW_CHAT_MESSAGES } from '../../sandbox/graph/teamsRoutes.js';
import type { StoredChannel, StoredChat, StoredTeam } from '../../sandbox/graph/userData.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
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
afterEach(() => {
  stack.graph.faults.length = 0;
  stack.idp.oboFailures.clear();
});

const data = (user: SampleUser) => stack.graph.dataOf(user);
const pairChat = (): StoredChat => data(ADELE).chats.find((chat) => chat.chatType === 'oneOnOne')!;
const crewChat = (user: SampleUser): StoredChat => data(user).chats.find((chat) => chat.chatType === 'group')!;
const sharedTeam = (user: SampleUser): StoredTeam => data(user).teams[0]!;
const ownTeam = (user: SampleUser): StoredTeam => data(user).teams[1]!;
const channel = (team: StoredTeam, name: string): StoredChannel => team.channels.find((entry) => entry.displayName === name)!;
const rowKey = (row: Record<string, unknown>) => `${String(row['partitionKey'])}/${String(row['rowKey'])}`;

/** Runs `action` and returns the audit rows it added. */
async function auditRowsAddedBy(action: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const before = new Set((await tableRows(stackTable(stack, 'Audit'))).map(rowKey));
  await action();
  return (await tableRows(stackTable(stack, 'Audit'))).filter((row) => !before.has(rowKey(row)));
}
const SENDS = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

describe('tools/list', () => {
  it('lists the seven Teams tools with truthful annotations, titles, output schemas and short descriptions', async () => {
    await expectListed(adele, {
      list_chats: READ_ONLY, list_chat_messages: READ_ONLY, send_chat_message: SENDS,
      list_teams: READ_ONLY, list_channels: READ_ONLY, list_channel_messages: READ_ONLY, post_channel_message: SENDS,
    }, 2_000);
  });
});

describe('least privilege', () => {
  it.each([
    ['list_chats', () => ({}), ['Chat.Read']],
    ['list_chat_messages', () => ({ chatId: pairChat().id }), ['Chat.Read']],
    ['send_chat_message', () => ({ chatId: crewChat(ADELE).id, text: 'scope check' }), ['ChatMessage.Send']],
    ['list_teams', () => ({}), ['Team.ReadBasic.All']],
    ['list_channels', () => ({ teamId: sharedTeam(ADELE).id }), ['Channel.ReadBasic.All']],
    ['list_channel_messages', () => ({ teamId: sharedTeam(ADELE).id, channelId: channel(sharedTeam(ADELE), 'Launch').id }), ['ChannelMessage.Read.All']],
    ['post_channel_message', () => ({ teamId: ownTeam(ADELE).id, channelId: channel(ownTeam(ADELE), 'General').id, text: 'scope check' }), ['ChannelMessage.Send']],
  ] as const)('%s asks the OBO exchange for exactly its scopes', async (name, args, scopes) => {
    // A fresh token: MSAL answers a repeated (assertion, scopes) pair from its cache without an exchange.
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const graph = stack.graph.requests.length;
    const result = await callTool(client, name, args());
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes)).toEqual([scopes]);
    expect(graphRequestsSince(stack, graph).every((request) => request.scopes.join(' ') === scopes.join(' '))).toBe(true);
  });

  it('turns missing admin consent for channel messages into consent_required with the consent URL', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'consent_required' });
    const client = await connectAs(stack, ALEX);
    const result = await callTool(client, 'list_channel_messages', { teamId: sharedTeam(ALEX).id, channelId: channel(sharedTeam(ALEX), 'General').id });
    await client.close();
    expect(errorCode(result)).toBe('consent_required');
    expect((result._meta?.['onbehalf/error'] as { consentUrl?: string }).consentUrl).toContain('/adminconsent?client_id=');
  });
});

describe('list_chats', () => {
  it('lists the caller\'s chats, most recent first, with members and the last message as text', async () => {
    const before = stack.graph.requests.length;
    const { chats, nextCursor } = structured(listChats, await callTool(adele, 'list_chats'));
    expect(nextCursor).toBeUndefined();
    expect(chats.map((chat) => chat.id).sort()).toEqual(data(ADELE).chats.map((chat) => chat.id).sort());
    const pair = chats.find((chat) => chat.id === pairChat().id);
    expect(pair).toMatchObject({ chatType: 'oneOnOne', members: expect.arrayContaining([ADELE.name, ALEX.name]) as string[] });
    expect(pair?.topic).toBeUndefined();
    expect(pair?.lastMessage?.text).toContain('see you at the review');
    const crew = chats.find((chat) => chat.id === crewChat(ADELE).id);
    expect(crew).toMatchObject({ chatType: 'group', topic: 'Adele\'s launch crew' });
    const times = chats.map((chat) => chat.lastMessage?.createdDateTime ?? '');
    expect(times).toEqual([...times].sort().reverse());
    const [request] = graphRequestsSince(stack, before);
    expect(request?.path).toBe('/v1.0/me/chats');
    expect(request?.query.get('$expand')).toBe('members,lastMessagePreview');
    expect(request?.query.get('$orderby')).toBe('lastMessagePreview/createdDateTime desc');
  });

  it('shows each user only the chats they are in', async () => {
    const alexChats = structured(listChats, await callTool(alex, 'list_chats')).chats.map((chat) => chat.id);
    expect(alexChats.sort()).toEqual([pairChat().id, crewChat(ALEX).id].sort());
    const meganChats = structured(listChats, await callTool(megan, 'list_chats')).chats.map((chat) => chat.id);
    expect(meganChats).toEqual([crewChat(MEGAN).id]);
  });

  it('refuses a page size above Graph\'s 50 before calling Graph', async () => {
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'list_chats', { top: 51 }))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });
});

describe('list_chat_messages', () => {
  it('reads a chat newest first as plain text: mentions as names, attachments named, markup, scripts and styles gone', async () => {
    const { messages, nextCursor } = structured(listChatMessages, await callTool(adele, 'list_chat_messages', { chatId: pairChat().id }));
    expect(nextCursor).toBeUndefined();
    expect(messages.map((message) => message.createdDateTime)).toEqual(messages.map((message) => message.createdDateTime).sort().reverse());
    const texts = messages.map((message) => message.text);
    expect(texts).toContain(`Thanks @${ALEX.name}, that is what the team needed.`);
    expect(texts.filter((text) => /^Yes, attached below\.\s+\[attachment: figures\.xlsx\]$/.test(text))).toHaveLength(1);
    expect(texts).toContain('(deleted)');
    expect(texts).toContain('(event: chatRenamed)');
    expect(texts.join('\n')).not.toMatch(/alert|color:red|<|>|This one was a typo/);
    expect(messages.find((message) => message.text.startsWith('Thanks'))?.from).toBe(ADELE.name);
  });

  it('reads the same chat for both members, and pages through a long chat with no duplicates or gaps', async () => {
    const forAlex = structured(listChatMessages, await callTool(alex, 'list_chat_messages', { chatId: pairChat().id }));
    const forAdele = structured(listChatMessages, await callTool(adele, 'list_chat_messages', { chatId: pairChat().id }));
    expect(forAlex.messages.map((message) => message.id)).toEqual(forAdele.messages.map((message) => message.id));

    const chatId = crewChat(ADELE).id;
    // The seeded messages, and any a test before sent there.
    const total = crewChat(ADELE).messages.length;
    expect(total).toBeGreaterThanOrEqual(CREW_CHAT_MESSAGES);
    const pages = await walkPages(adele, 'list_chat_messages', { chatId, top: 50 }, (result) => {
      const page = structured(listChatMessages, result);
      return { ids: page.messages.map((message) => message.id), nextCursor: page.nextCursor };
    });
    expect(pages.map((page) => page.length)).toEqual([50, 50, total - 100]);
    expect(new Set(pages.flat()).size).toBe(total);
    expect([...pages.flat()].sort()).toEqual(crewChat(ADELE).messages.map((message) => message.id).sort());
  });

  it('accepts a cursor only for the chat and the tool that issued it', async () => {
    const { nextCursor } = structured(listChatMessages, await callTool(adele, 'list_chat_messages', { chatId: crewChat(ADELE).id, top: 10 }));
    expect(nextCursor).toBeDefined();
    expect(errorCode(await callTool(adele, 'list_chat_messages', { chatId: pairChat().id, cursor: nextCursor }))).toBe('cursor_invalid');
    expect(errorCode(await callTool(adele, 'list_chats', { cursor: nextCursor }))).toBe('cursor_invalid');
    const forged = Buffer.from(JSON.stringify({ t: 'list_chat_messages', u: `${stack.graph.url}/v1.0/chats/${crewChat(ADELE).id}/messages/../../../me/messages` })).toString('base64url');
    expect(errorCode(await callTool(adele, 'list_chat_messages', { chatId: crewChat(ADELE).id, cursor: forged }))).toBe('cursor_invalid');
  });

  it('never shows another user\'s chat, whether the id is guessed in the tenant or from another one', async () => {
    const before = stack.graph.requests.length;
    const crew = crewChat(ADELE);
    const alexTry = await callTool(alex, 'list_chat_messages', { chatId: crew.id });
    expect(['forbidden', 'not_found']).toContain(errorCode(alexTry));
    expect(errorCode(await callTool(megan, 'list_chat_messages', { chatId: pairChat().id }))).toBe('not_found');
    expect(JSON.stringify(alexTry)).not.toContain('crew note');
    expect(graphRequestsSince(stack, before).map((request) => request.status).sort()).toEqual([403, 404]);
  });

  it('refuses ids that are paths before calling Graph', async () => {
    const before = stack.graph.requests.length;
    for (const chatId of ['../me/messages', 'a/b', 'a?b', '']) {
      expect(errorCode(await callTool(adele, 'list_chat_messages', { chatId })), chatId).toBe('input_invalid');
    }
    expect(stack.graph.requests.length).toBe(before);
  });
});

describe('send_chat_message', () => {
  it('sends text that every member reads as typed, and writes one audit row naming the chat and the message sent', async () => {
    const chatId = pairChat().id;
    const text = 'Can we <b>move</b> the review? <at id="0">everyone</at> & thanks';
    let sent = { id: '' };
    const rows = await auditRowsAddedBy(async () => {
      sent = structured(sendChatMessage, await callTool(adele, 'send_chat_message', { chatId, text }));
    });
    expect(sent.id).toBeTruthy();
    const [newest] = structured(listChatMessages, await callTool(alex, 'list_chat_messages', { chatId, top: 1 })).messages;
    expect(newest).toMatchObject({ id: sent.id, from: ADELE.name, text });
    const stored = data(ALEX).chats.find((chat) => chat.id === chatId)?.messages.find((message) => message.id === sent.id);
    expect(stored?.body).toEqual({ contentType: 'text', content: text });
    expect(rows).toEqual([expect.objectContaining({ tool: 'send_chat_message', oid: ADELE.oid, targetId: chatId, createdId: sent.id, outcome: 'succeeded' })]);
    expect(JSON.stringify(rows)).not.toContain('move');
  });

  it('cannot send to a chat the caller is not in, and stores nothing', async () => {
    const crew = crewChat(ADELE);
    const count = crew.messages.length;
    expect(['forbidden', 'not_found']).toContain(errorCode(await callTool(alex, 'send_chat_message', { chatId: crew.id, text: 'let me in' })));
    expect(errorCode(await callTool(megan, 'send_chat_message', { chatId: crew.id, text: 'let me in' }))).toBe('not_found');
    expect(crew.messages.length).toBe(count);
  });

  it('refuses empty or oversized text before calling Graph', async () => {
    const before = stack.graph.requests.length;
    for (const text of ['', '   ', 'x'.repeat(20_001)]) {
      expect(errorCode(await callTool(adele, 'send_chat_message', { chatId: pairChat().id, text }))).toBe('input_invalid');
    }
    expect(stack.graph.requests.length).toBe(before);
  });

  it('does not resend after a 503: a write is retried on 429 only', async () => {
    stack.graph.faults.push({ status: 503, retryAfterSeconds: 0, times: 3, path: /^\/chats\// });
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'send_chat_message', { chatId: pairChat().id, text: 'once only' }))).toBe('unavailable');
    expect(graphRequestsSince(stack, before).filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});

describe('list_teams and list_channels', () => {
  it('lists the teams each user is a member of', async () => {
    const names = async (client: McpClient) => structured(listTeams, await callTool(client, 'list_teams')).teams.map((team) => team.displayName).sort();
    expect(await names(adele)).toEqual(['Adele\'s project team', 'Retail Operations']);
    expect(await names(alex)).toEqual(['Alex\'s project team', 'Retail Operations']);
    expect(await names(megan)).toEqual(['Megan\'s project team', 'Retail Operations']);
    expect(sharedTeam(MEGAN).id).not.toBe(sharedTeam(ADELE).id);
  });

  it('lists the channels a member can see: a private channel only for its members', async () => {
    const before = stack.graph.requests.length;
    const forAdele = structured(listChannels, await callTool(adele, 'list_channels', { teamId: sharedTeam(ADELE).id })).channels;
    expect(forAdele.map((entry) => [entry.displayName, entry.membershipType])).toEqual([['General', 'standard'], ['Launch', 'standard'], ['Leadership', 'private']]);
    expect(new URL(stack.graph.requests[before]?.url ?? '', stack.graph.url).searchParams.get('$select')).toBe('id,displayName,description,membershipType,webUrl');
    const forAlex = structured(listChannels, await callTool(alex, 'list_channels', { teamId: sharedTeam(ALEX).id })).channels;
    expect(forAlex.map((entry) => entry.displayName)).toEqual(['General', 'Launch']);
  });

  it('never lists the channels of a team the caller is not in', async () => {
    expect(['forbidden', 'not_found']).toContain(errorCode(await callTool(alex, 'list_channels', { teamId: ownTeam(ADELE).id })));
    expect(errorCode(await callTool(megan, 'list_channels', { teamId: ownTeam(ADELE).id }))).toBe('not_found');
  });
});

describe('list_channel_messages', () => {
  it('pages through a channel\'s posts with their reply counts, asking Graph to expand replies', async () => {
    const general = channel(sharedTeam(ADELE), 'General');
    const before = stack.graph.requests.length;
    const replies = new Map<string, number>();
    const pages = await walkPages(adele, 'list_channel_messages', { teamId: sharedTeam(ADELE).id, channelId: general.id, top: 25 }, (result) => {
      const page = structured(listChannelMessages, result);
      for (const message of page.messages) replies.set(message.id, message.replies ?? -1);
      return { ids: page.messages.map((message) => message.id), nextCursor: page.nextCursor };
    });
    expect(pages.map((page) => page.length)).toEqual([25, 25, CHANNEL_POSTS - 50]);
    expect(new Set(pages.flat()).size).toBe(CHANNEL_POSTS);
    for (const post of general.posts) expect(replies.get(post.id), post.id).toBe(post.replies.length);
    expect(new URL(stack.graph.requests[before]?.url ?? '', stack.graph.url).searchParams.get('$expand')).toBe('replies');
  });

  it('reads posts as text with subjects and mentions, and the replies of one post', async () => {
    const team = sharedTeam(ALEX);
    const launch = channel(team, 'Launch');
    const { messages } = structured(listChannelMessages, await callTool(alex, 'list_channel_messages', { teamId: team.id, channelId: launch.id }));
    const plan = messages.find((message) => message.subject === 'Launch plan');
    expect(plan).toMatchObject({ from: ADELE.name, text: `@${ALEX.name}, the launch plan is ready for review.`, replies: 2 });
    expect(plan?.webUrl).toMatch(/^https:\/\/teams\.microsoft\.com\//);
    const thread = structured(listChannelMessages, await callTool(alex, 'list_channel_messages', { teamId: team.id, channelId: launch.id, messageId: plan?.id }));
    expect(thread.messages.map((message) => message.text)).toEqual(['Signage is ordered.', 'Looks good; I added the pricing.']);
    expect(thread.messages.every((message) => message.replies === undefined)).toBe(true);
  });

  it('keeps a private channel and another user\'s team out of reach, even with their ids', async () => {
    const leadership = channel(sharedTeam(ADELE), 'Leadership');
    const private_ = await callTool(alex, 'list_channel_messages', { teamId: sharedTeam(ALEX).id, channelId: leadership.id });
    expect(['forbidden', 'not_found']).toContain(errorCode(private_));
    expect(JSON.stringify(private_)).not.toContain('Confidential');
    const own = ownTeam(ADELE);
    expect(['forbidden', 'not_found']).toContain(errorCode(await callTool(alex, 'list_channel_messages', { teamId: own.id, channelId: channel(own, 'General').id })));
    expect(errorCode(await callTool(megan, 'list_channel_messages', { teamId: own.id, channelId: channel(own, 'General').id }))).toBe('not_found');
  });

  it('waits out a 429 and then answers', async () => {
    stack.graph.faults.push({ status: 429, retryAfterSeconds: 1, times: 1, path: /\/channels\/.+\/messages$/ });
    const team = sharedTeam(ADELE);
    const before = stack.graph.requests.length;
    structured(listChannelMessages, await callTool(adele, 'list_channel_messages', { teamId: team.id, channelId: channel(team, 'Launch').id }));
    expect(graphRequestsSince(stack, before).map((request) => request.status)).toEqual([429, 200]);
  });
});

describe('post_channel_message', () => {
  it('posts a new post and a reply that the other member reads; the reply is audited with its post', async () => {
    const team = sharedTeam(ALEX);
    const launch = channel(team, 'Launch');
    const post = structured(postChannelMessage, await callTool(alex, 'post_channel_message', { teamId: team.id, channelId: launch.id, subject: 'Opening hours', text: 'We open at 9 on launch day.' }));
    expect(post.webUrl).toMatch(/^https:\/\//);
    let reply = { id: '' };
    const rows = await auditRowsAddedBy(async () => {
      reply = structured(postChannelMessage, await callTool(adele, 'post_channel_message', { teamId: team.id, channelId: launch.id, replyTo: post.id, text: 'Noted.' }));
    });

    const [newest] = structured(listChannelMessages, await callTool(adele, 'list_channel_messages', { teamId: team.id, channelId: launch.id, top: 1 })).messages;
    expect(newest).toMatchObject({ id: post.id, from: ALEX.name, subject: 'Opening hours', text: 'We open at 9 on launch day.', replies: 1 });
    const thread = structured(listChannelMessages, await callTool(alex, 'list_channel_messages', { teamId: team.id, channelId: launch.id, messageId: post.id }));
    expect(thread.messages).toEqual([expect.objectContaining({ id: reply.id, from: ADELE.name, text: 'Noted.' })]);

    expect(rows.map((row) => [row['tool'], row['oid'], row['targetId'], row['createdId'], row['outcome']])).toEqual([
      ['post_channel_message', ADELE.oid, `${team.id}/${launch.id}/${post.id}`, reply.id, 'succeeded'],
    ]);
  });

  it('posts into a private channel only for its members', async () => {
    const leadership = channel(sharedTeam(ADELE), 'Leadership');
    const before = leadership.posts.length;
    expect(['forbidden', 'not_found']).toContain(errorCode(await callTool(alex, 'post_channel_message', { teamId: sharedTeam(ALEX).id, channelId: leadership.id, text: 'hello?' })));
    expect(leadership.posts.length).toBe(before);
    structured(postChannelMessage, await callTool(adele, 'post_channel_message', { teamId: sharedTeam(ADELE).id, channelId: leadership.id, text: 'Board at 3.' }));
    expect(leadership.posts.length).toBe(before + 1);
  });

  it('refuses a reply with a subject and a reply to a post that does not exist', async () => {
    const team = sharedTeam(ADELE);
    const launch = channel(team, 'Launch');
    const graph = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'post_channel_message', { teamId: team.id, channelId: launch.id, replyTo: launch.posts[0]?.id, subject: 'Re', text: 'x' }))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(graph);
    expect(errorCode(await callTool(adele, 'post_channel_message', { teamId: team.id, channelId: launch.id, replyTo: '999', text: 'x' }))).toBe('not_found');
  });
});
