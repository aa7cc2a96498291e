// Every tool in the catalog, called through the real server: no token, user principal name, subject or body text in any span, metric or record.
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolCatalog } from '../../shared/tools/catalog.js';
import type { UserData } from '../../sandbox/graph/userData.js';
import { ADELE, ALEX, SAMPLE_USERS } from '../../sandbox/sampleUsers.js';
import { callTool, connectAs } from '../support/toolCalls.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { installMemoryTelemetry } from './memoryTelemetry.js';

const telemetry = installMemoryTelemetry();
const DAY_MS = 24 * 3600 * 1000;
// What the caller writes, in every text input: none of it may reach telemetry.
const MARK = 'Zanzibarquux';
const WINDOW = { start: new Date(Date.now() - 30 * DAY_MS).toISOString(), end: new Date(Date.now() + 30 * DAY_MS).toISOString() };
const SLOT = { dateTime: new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 19), timeZone: 'UTC' };
const SLOT_END = { dateTime: new Date(Date.now() + 2 * DAY_MS + 3_600_000).toISOString().slice(0, 19), timeZone: 'UTC' };
const ATTENDEE = { email: ALEX.upn, type: 'required' };

let stack: TestStack;
let client: McpClient;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.idp.accessToken(ADELE);
  client = await connectAs(stack, ADELE);
});

afterAll(async () => {
  await client.close();
  await stack.close();
  await telemetry.shutdown();
});

/** Arguments for every tool, with ids of Adele's sandbox data so that most calls succeed and return her content. */
function argumentsFor(data: UserData): Record<string, Record<string, unknown>> {
  const file = data.driveItems.find((item) => item.file !== undefined && item.name?.endsWith('.txt') === true) ?? data.driveItems.find((item) => item.file !== undefined);
  const folder = data.driveItems.find((item) => item.folder !== undefined && item.id !== 'root');
  const team = data.teams[0];
  const channel = team?.channels[0];
  const taskList = data.taskLists[0];
  const section = data.notebooks[0]?.sections[0];
  const attached = data.messages.find((message) => (message.attachments?.length ?? 0) > 0);
  const mail = { to: [ALEX.upn], cc: ['megan@contoso.example'], subject: `${MARK} subject`, body: `${MARK} body`, bodyType: 'text' };
  return {
    whoami: { profile: true },
    find_people: { query: `Alex ${MARK}` },
    get_manager: {},
    list_direct_reports: {},
    list_events: WINDOW,
    get_event: { id: data.events[0]?.id },
    list_event_attachments: { eventId: data.events[0]?.id },
    // The local Graph attaches a deck to each user's first event, with this id.
    read_event_attachment: { eventId: data.events[0]?.id, attachmentId: `${data.events[0]?.id ?? ''}-att-0` },
    create_event: { subject: `${MARK} meeting`, start: SLOT, end: SLOT_END, location: `${MARK} room`, body: `${MARK} agenda`, attendees: [ATTENDEE] },
    update_event: { id: data.events[0]?.id, subject: `${MARK} renamed`, body: `${MARK} new agenda` },
    cancel_event: { id: data.events[1]?.id, comment: `${MARK} sorry` },
    respond_to_event: { id: data.events.find((event) => event.isOrganizer === false && event.isCancelled !== true)?.id, response: 'tentativelyAccept', comment: `${MARK} maybe` },
    find_meeting_times: { attendees: [ATTENDEE], start: WINDOW.start, end: WINDOW.end, duration: 60, timeZone: 'UTC' },
    get_schedule: { schedules: [ALEX.upn], start: WINDOW.start, end: new Date(Date.now() + DAY_MS).toISOString(), timeZone: 'UTC' },
    list_messages: {},
    search_messages: { query: `report ${MARK}` },
    get_message: { id: data.messages[0]?.id },
    list_attachments: { messageId: attached?.id },
    read_attachment: { messageId: attached?.id, attachmentId: attached?.attachments?.[0]?.id },
    create_draft: mail,
    send_mail: mail,
    reply_to_message: { id: data.messages[0]?.id, comment: `${MARK} thanks`, replyAll: true, send: true },
    forward_message: { id: data.messages[0]?.id, to: [ALEX.upn], comment: `${MARK} for you`, send: true },
    search_files: { query: `budget ${MARK}` },
    list_drive_items: folder === undefined ? {} : { itemId: folder.id },
    read_file: { itemId: file?.id },
    list_sites: { query: `Marketing ${MARK}` },
    list_chats: {},
    list_chat_messages: { chatId: data.chats[0]?.id },
    send_chat_message: { chatId: data.chats[0]?.id, text: `${MARK} hello` },
    list_teams: {},
    list_channels: { teamId: team?.id },
    list_channel_messages: { teamId: team?.id, channelId: channel?.id },
    post_channel_message: { teamId: team?.id, channelId: channel?.id, text: `${MARK} news`, subject: `${MARK} headline` },
    list_task_lists: {},
    list_tasks: { listId: taskList?.id, status: 'all' },
    create_task: { listId: taskList?.id, title: `${MARK} follow up`, note: `${MARK} call Lee` },
    update_task: { listId: taskList?.id, taskId: taskList?.tasks[0]?.id, title: `${MARK} follow up`, note: `${MARK} done` },
    list_notebooks: {},
    list_pages: { sectionId: section?.id },
    read_page: { pageId: section?.pages[0]?.id },
    search: { query: `report ${MARK}` },
    get_meeting_transcript: { eventId: data.events[0]?.id },
  };
}

/** Texts of Adele's mailbox, calendar, files, chats and notes that tools return: none may reach telemetry either. */
function contentOf(data: UserData): string[] {
  const texts = [
    ...data.events.flatMap((event) => [event.subject, event.bodyPreview]),
    ...data.messages.flatMap((message) => [message.subject, message.bodyPreview]),
    ...data.driveItems.map((item) => item.name),
    ...data.driveItems.map((item) => (item.content as Buffer | undefined)?.toString('utf8').slice(0, 40)),
    ...data.chats.flatMap((chat) => [chat.topic, ...chat.messages.map((message) => message.body?.content?.slice(0, 40))]),
    ...data.taskLists.flatMap((list) => list.tasks.map((task) => task.title)),
    ...data.notebooks.flatMap((notebook) => notebook.sections.flatMap((section) => section.pages.map((page) => page.title))),
  ];
  // Short texts (`Notes`, `Inbox`) could be anything; these are sentences and names of a user's own.
  return texts.filter((text): text is string => typeof text === 'string' && text.length >= 12 && !text.startsWith('<'));
}

/** Everything exported, as one text: span names, attributes, events and statuses, record bodies and attributes, metric labels. */
async function exported(): Promise<string> {
  const spans = telemetry.spans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status, links: span.links }));
  const records = telemetry.records().map((record) => ({ body: record.body, attributes: record.attributes, severity: record.severityText }));
  const metrics = [...(await telemetry.metrics()).values()].map((metric) => ({ name: metric.descriptor.name, points: metric.dataPoints.map((point) => point.attributes) }));
  return JSON.stringify({ spans, records, metrics });
}

describe('every tool, called through the real server with telemetry on', () => {
  it('leaves no token, user principal name, subject, body or search text in any attribute, record or metric label', async () => {
    const data = stack.graph.dataOf(ADELE);
    const content = contentOf(data);
    const args = argumentsFor(data);
    const catalog = createToolCatalog(undefined);
    expect(Object.keys(args).sort()).toEqual([...catalog.tools.keys()].sort());
    const outcomes: Record<string, string> = {};
    for (const name of catalog.tools.keys()) {
      const result = await callTool(client, name, args[name]);
      outcomes[name] = result.isError === true ? 'error' : 'ok';
    }
    // Most calls worked, so their answers (subjects, bodies, names) passed through the server.
    expect(Object.values(outcomes).filter((outcome) => outcome === 'ok').length, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(catalog.tools.size - 4);
    // And again with ids that do not exist, so every failure path logs and records what it does.
    let failed = 0;
    for (const name of catalog.tools.keys()) {
      const bogus = Object.fromEntries(Object.entries(args[name] ?? {}).map(([key, value]) => [key, /id$/i.test(key) ? `AAMk${MARK}` : value]));
      if (JSON.stringify(bogus) === JSON.stringify(args[name])) continue;
      if ((await callTool(client, name, bogus)).isError === true) failed++;
    }
    expect(failed).toBeGreaterThan(10);
    const called = new Set(telemetry.spans().map((span) => span.attributes['gen_ai.tool.name']));
    for (const name of catalog.tools.keys()) expect(called.has(name), name).toBe(true);
    expect(telemetry.records().map((record) => record.body)).toContain('graph call failed');

    const text = await exported();
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/eyJ[\w-]*\.[\w-]*\.[\w-]*/);
    expect(text).not.toContain(MARK);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    for (const user of SAMPLE_USERS) {
      expect(text.toLowerCase()).not.toContain(user.upn.toLowerCase());
      expect(text).not.toContain(user.name);
    }
    for (const item of content) expect(text, item).not.toContain(item);
  });
});
