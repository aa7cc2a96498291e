// Input a schema does not allow is an input error with a code, for every tool: lone surrogates in any string, `.`/`..` ids, forged cursors.
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { TOOLS } from '../../shared/tools/catalog.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { callTool, connectAs, errorCode } from '../support/toolCalls.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const START = '2025-03-10T09:00:00Z';
const END = '2025-03-11T09:00:00Z';
const SLOT = { dateTime: '2025-03-10T09:00:00', timeZone: 'UTC' };
const SLOT_END = { dateTime: '2025-03-10T10:00:00', timeZone: 'UTC' };
const ATTENDEE = { email: 'alex@contoso.example', type: 'required' };
const MAIL = { to: ['alex@contoso.example'], cc: ['megan@contoso.example'], bcc: ['lee@contoso.example'], subject: 'Plans', body: 'Hello', bodyType: 'text' };

/** Valid arguments for each tool, between them holding every string input it has. */
const VALID: Record<string, readonly Record<string, unknown>[]> = {
  whoami: [{ profile: false }],
  find_people: [{ query: 'Adele', cursor: 'c' }],
  get_manager: [{}],
  list_direct_reports: [{ cursor: 'c' }],
  list_events: [{ start: START, end: END, timeZone: 'Europe/Paris', cursor: 'c' }],
  get_event: [{ id: 'AAMkEvent', timeZone: 'UTC' }],
  list_event_attachments: [{ eventId: 'AAMkEvent', cursor: 'c' }],
  read_event_attachment: [{ eventId: 'AAMkEvent', attachmentId: 'AAMkAtt=' }],
  create_event: [{ subject: 'Sync', start: SLOT, end: SLOT_END, location: 'Room 1', body: 'Agenda', attendees: [ATTENDEE] }],
  update_event: [{ id: 'AAMkEvent', subject: 'Sync', start: SLOT, end: SLOT_END, location: 'Room 2', body: 'New agenda' }],
  cancel_event: [{ id: 'AAMkEvent', comment: 'Sorry' }],
  respond_to_event: [{ id: 'AAMkEvent', response: 'accept', comment: 'See you' }],
  find_meeting_times: [{ attendees: [ATTENDEE], start: START, end: END, duration: 60, timeZone: 'UTC' }],
  get_schedule: [{ schedules: ['alex@contoso.example'], start: START, end: END, timeZone: 'UTC' }],
  list_messages: [{ folder: 'AAMkFolder', cursor: 'c' }],
  search_messages: [{ query: 'from:adele report', cursor: 'c' }],
  get_message: [{ id: 'AAMkMessage' }],
  list_attachments: [{ messageId: 'AAMkMessage', cursor: 'c' }],
  read_attachment: [{ messageId: 'AAMkMessage', attachmentId: 'AAMkAtt=' }],
  create_draft: [MAIL],
  send_mail: [MAIL],
  reply_to_message: [{ id: 'AAMkMessage', comment: 'Thursday works' }],
  forward_message: [{ id: 'AAMkMessage', to: ['alex@contoso.example'], cc: ['megan@contoso.example'], comment: 'FYI' }],
  search_files: [{ query: 'budget', cursor: 'c' }],
  list_drive_items: [{ path: 'Documents/Reports', siteId: 'contoso.sharepoint.com,1,2', cursor: 'c' }, { itemId: '01ADELE', siteId: 'site' }],
  read_file: [{ itemId: '01ADELE', siteId: 'site' }],
  list_sites: [{ query: 'Marketing', cursor: 'c' }],
  list_chats: [{ cursor: 'c' }],
  list_chat_messages: [{ chatId: '19:chat@thread.v2', cursor: 'c' }],
  send_chat_message: [{ chatId: '19:chat@thread.v2', text: 'Hello' }],
  list_teams: [{ cursor: 'c' }],
  list_channels: [{ teamId: 'team', cursor: 'c' }],
  list_channel_messages: [{ teamId: 'team', channelId: '19:channel@thread.tacv2', messageId: '1700000000000', cursor: 'c' }],
  post_channel_message: [{ teamId: 'team', channelId: '19:channel@thread.tacv2', text: 'Hello', subject: 'News' }, { teamId: 'team', channelId: 'channel', text: 'Agreed', replyTo: '1700000000000' }],
  list_task_lists: [{ cursor: 'c' }],
  list_tasks: [{ listId: 'AAMkList', status: 'all', dueFrom: '2025-03-10', dueBefore: '2025-03-17', cursor: 'c' }],
  create_task: [{ listId: 'AAMkList', title: 'Follow up', dueDate: '2025-03-12', timeZone: 'Europe/Paris', importance: 'high', note: 'Call Lee' }],
  update_task: [{ listId: 'AAMkList', taskId: 'AAMkTask', title: 'Follow up', dueDate: '2025-03-12', timeZone: 'UTC', importance: 'low', note: 'Done' }],
  list_notebooks: [{ cursor: 'c' }],
  list_pages: [{ sectionId: '1-section', cursor: 'c' }],
  read_page: [{ pageId: '1-page' }],
  search: [{ query: 'budget', areas: ['mail', 'files'], cursor: 'c' }],
  get_meeting_transcript: [{ eventId: 'AAMkEvent', transcriptId: 'MSMjMCMj', cursor: 'c' }],
};

type Path = (string | number)[];

/** Every string in a value, with its path. */
function stringsIn(value: unknown, path: Path = []): { path: Path; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => stringsIn(item, [...path, key]));
  return [];
}

/** The paths of every string property a JSON Schema describes, array items as `*`. */
function stringPaths(schema: Record<string, unknown>, path: string[] = []): string[] {
  const types = [schema, ...((schema['anyOf'] as Record<string, unknown>[] | undefined) ?? [])].map((candidate) => candidate['type']);
  if (types.includes('string')) return [path.join('.')];
  if (schema['type'] === 'array') return stringPaths(schema['items'] as Record<string, unknown>, [...path, '*']);
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties).flatMap(([key, property]) => stringPaths(property, [...path, key]));
}

const pattern = (path: Path) => path.map((part) => (typeof part === 'number' ? '*' : part)).join('.');

function withValue(args: Record<string, unknown>, path: Path, value: string): Record<string, unknown> {
  const copy = structuredClone(args);
  let target: Record<string | number, unknown> = copy;
  for (const part of path.slice(0, -1)) target = target[part] as Record<string | number, unknown>;
  target[path.at(-1)!] = value;
  return copy;
}

describe('every string input of every tool', () => {
  it('has valid sample arguments here that name all of its string inputs', () => {
    expect(Object.keys(VALID).sort()).toEqual(TOOLS.map((tool) => tool.name).sort());
    for (const tool of TOOLS) {
      const samples = VALID[tool.name] ?? [];
      for (const sample of samples) expect(tool.input.safeParse(sample).error?.issues, `${tool.name} ${JSON.stringify(sample)}`).toBeUndefined();
      const covered = new Set(samples.flatMap((sample) => stringsIn(sample).map((found) => pattern(found.path))));
      const declared = stringPaths(z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }));
      expect(declared.filter((path) => !covered.has(path)), tool.name).toEqual([]);
    }
  });

  it('refuses a lone surrogate in any of them, naming the field', () => {
    let checked = 0;
    for (const tool of TOOLS) {
      for (const sample of VALID[tool.name] ?? []) {
        for (const { path, value } of stringsIn(sample)) {
          for (const lone of ['\uD800', '\uDFFF']) {
            const parsed = tool.input.safeParse(withValue(sample, path, `${value.slice(0, 1)}${lone}${value.slice(1)}`));
            expect(parsed.success, `${tool.name}.${pattern(path)}`).toBe(false);
            expect(parsed.error?.issues.map((issue) => pattern(issue.path as Path)), `${tool.name}.${pattern(path)}`).toContain(pattern(path));
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('accepts surrogate pairs (emoji and other astral text) wherever text is free', () => {
    const tool = TOOLS.find((candidate) => candidate.name === 'create_draft');
    expect(tool?.input.safeParse({ ...MAIL, subject: 'Plans 🎉', body: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 text 😀' }).success).toBe(true);
  });
});

describe('input errors over MCP', () => {
  let stack: TestStack;
  let adele: McpClient;
  beforeAll(async () => {
    stack = await startTestStack();
    adele = await connectAs(stack, ADELE);
  });
  afterAll(async () => {
    await adele.close();
    await stack.close();
  });

  it.each([
    ['find_people', { query: 'Ad\uD800ele' }],
    ['search_messages', { query: 'report \uDC00' }],
    ['list_sites', { query: '\uD83D' }],
    ['get_message', { id: 'AAMk\uD800' }],
    ['read_file', { itemId: '01\uDFFF' }],
    ['list_drive_items', { path: 'Documents/\uD800' }],
    ['create_draft', { ...MAIL, subject: 'Plans \uD800' }],
  ])('%s with a lone surrogate: input_invalid, and Graph is never called', async (name, args) => {
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, name, args))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });

  it.each([
    ['get_message', { id: '..' }],
    ['get_message', { id: '.' }],
    ['get_event', { id: '..' }],
    ['read_attachment', { messageId: 'AAMkMessage', attachmentId: '../../me' }],
    ['read_event_attachment', { eventId: '.', attachmentId: 'AAMkAtt=' }],
    ['cancel_event', { id: '..' }],
    ['update_event', { id: '.', subject: 'Moved' }],
    ['read_file', { itemId: '..' }],
    ['read_file', { itemId: '01ADELE', siteId: '..' }],
    ['list_drive_items', { itemId: '..' }],
    ['list_messages', { folder: '..' }],
  ])('%s with id %j: input_invalid, and Graph is never called', async (name, args) => {
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, name, args))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });

  const cursorOf = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
  it.each([
    ['null', cursorOf('null')],
    ['a number', cursorOf('42')],
    ['a string', cursorOf('"list_messages"')],
    ['an array', cursorOf('[]')],
    ['an object without fields', cursorOf('{}')],
    ['fields of the wrong types', cursorOf('{"t":["list_messages"],"u":{"href":"x"}}')],
    ['not JSON', cursorOf('{"t":')],
    ['not base64', '!!!'],
  ])('a cursor holding %s is cursor_invalid for every list tool', async (_what, cursor) => {
    const lists: [string, Record<string, unknown>][] = [
      ['list_messages', {}],
      ['search_messages', { query: 'report' }],
      ['find_people', { query: 'a' }],
      ['list_events', { start: START, end: END }],
      ['list_drive_items', {}],
      ['list_sites', {}],
      ['search_files', { query: 'budget' }],
      ['search', { query: 'budget' }],
    ];
    for (const [name, args] of lists) expect(errorCode(await callTool(adele, name, { ...args, cursor })), name).toBe('cursor_invalid');
  });
});
