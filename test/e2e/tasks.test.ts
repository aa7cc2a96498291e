// The To Do tools over a real MCP client and HTTP: lists, filters, paging, creating and updating, isolation and audit.
import type { McpClient } from '../support/mcpClient.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTask } from '../../shared/tools/tasks/createTask.js';
import { listTaskLists } from '../../shared/tools/tasks/listTaskLists.js';
import { listTasks } from '../../shared/tools/tasks/listTasks.js';
import { updateTask } from '../../shared/tools/tasks/updateTask.js';
import { ARCHIVED_TASKS } from '../../sandbox/graph/tasksRoutes.js';
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
});

const listId = (user: SampleUser, slug: 'tasks' | 'flagged' | 'archive') => `${user.key}-list-${slug}`;
const taskIn = (user: SampleUser, slug: string) => stack.graph.dataOf(user).taskLists.flatMap((list) => list.tasks).find((task) => task.id === `${user.key}-task-${slug}`);
const rowKey = (row: Record<string, unknown>) => `${String(row['partitionKey'])}/${String(row['rowKey'])}`;

async function auditRowsAddedBy(action: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const before = new Set((await tableRows(stackTable(stack, 'Audit'))).map(rowKey));
  await action();
  return (await tableRows(stackTable(stack, 'Audit'))).filter((row) => !before.has(rowKey(row)));
}

describe('tools/list and least privilege', () => {
  it('lists the four To Do tools with truthful annotations', async () => {
    await expectListed(adele, {
      list_task_lists: READ_ONLY,
      list_tasks: READ_ONLY,
      create_task: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      update_task: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    });
  });

  it.each([
    ['list_task_lists', {}, ['Tasks.Read']],
    ['list_tasks', { listId: listId(ADELE, 'tasks') }, ['Tasks.Read']],
    ['create_task', { listId: listId(ADELE, 'flagged'), title: 'Scope check' }, ['Tasks.ReadWrite']],
    ['update_task', { listId: listId(ADELE, 'tasks'), taskId: `${ADELE.key}-task-someday`, importance: 'low' }, ['Tasks.ReadWrite']],
  ] as const)('%s asks the OBO exchange for exactly its scopes', async (name, args, scopes) => {
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const result = await callTool(client, name, args);
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes)).toEqual([scopes]);
  });
});

describe('list_task_lists', () => {
  it('lists the caller\'s lists with the selected fields only', async () => {
    const before = stack.graph.requests.length;
    const { lists } = structured(listTaskLists, await callTool(adele, 'list_task_lists'));
    expect(lists).toEqual([
      { id: listId(ADELE, 'tasks'), displayName: 'Tasks', wellknownListName: 'defaultList', isShared: false },
      { id: listId(ADELE, 'flagged'), displayName: 'Flagged email', wellknownListName: 'flaggedEmails', isShared: false },
      { id: listId(ADELE, 'archive'), displayName: 'Archive', isShared: false },
    ]);
    expect(graphRequestsSince(stack, before)[0]?.query.get('$select')).toBe('id,displayName,wellknownListName,isShared');
    expect(structured(listTaskLists, await callTool(megan, 'list_task_lists')).lists.every((list) => list.id.startsWith('megan-'))).toBe(true);
  });
});

describe('list_tasks', () => {
  it('lists open tasks by default, with due dates, importance and notes as text', async () => {
    const before = stack.graph.requests.length;
    const { tasks } = structured(listTasks, await callTool(alex, 'list_tasks', { listId: listId(ALEX, 'tasks') }));
    expect(tasks.map((task) => task.id).sort()).toEqual(['html-note', 'report', 'someday', 'visit'].map((slug) => `${ALEX.key}-task-${slug}`));
    expect(tasks.find((task) => task.id.endsWith('report'))).toMatchObject({ title: 'Send the alex quarterly report', importance: 'high', dueDateTime: '2025-06-03T00:00:00', dueTimeZone: 'UTC', note: 'Numbers for alex\'s stores.' });
    expect(tasks.find((task) => task.id.endsWith('html-note'))?.note).toBe('Read before Monday.');
    const [request] = graphRequestsSince(stack, before);
    expect(request?.query.get('$filter')).toBe('status ne \'completed\'');
    expect(request?.query.get('$select')).toBe('id,title,status,importance,dueDateTime,completedDateTime,body,createdDateTime');
  });

  it('filters by status and by a window of due dates', async () => {
    const completed = structured(listTasks, await callTool(alex, 'list_tasks', { listId: listId(ALEX, 'tasks'), status: 'completed' })).tasks;
    expect(completed.map((task) => [task.id, task.completedDateTime])).toEqual([[`${ALEX.key}-task-budget`, '2025-05-31T10:00:00']]);
    const before = stack.graph.requests.length;
    const window = structured(listTasks, await callTool(alex, 'list_tasks', { listId: listId(ALEX, 'tasks'), status: 'all', dueFrom: '2025-05-30', dueBefore: '2025-06-08' })).tasks;
    expect(window.map((task) => task.id).sort()).toEqual(['budget', 'report', 'visit'].map((slug) => `${ALEX.key}-task-${slug}`));
    expect(graphRequestsSince(stack, before)[0]?.query.get('$filter')).toBe('dueDateTime/dateTime ge \'2025-05-30T00:00:00\' and dueDateTime/dateTime lt \'2025-06-08T00:00:00\'');
  });

  it('pages through 120 tasks with no duplicates or gaps', async () => {
    const pages = await walkPages(adele, 'list_tasks', { listId: listId(ADELE, 'archive'), status: 'all', top: 50 }, (result) => {
      const page = structured(listTasks, result);
      return { ids: page.tasks.map((task) => task.id), nextCursor: page.nextCursor };
    });
    expect(pages.map((page) => page.length)).toEqual([50, 50, ARCHIVED_TASKS - 100]);
    expect(new Set(pages.flat()).size).toBe(ARCHIVED_TASKS);
  });

  it('refuses impossible dates, a reversed window and a cursor of another list before Graph answers', async () => {
    const before = stack.graph.requests.length;
    for (const args of [{ dueFrom: '2025-02-30' }, { dueBefore: '2025-6-1' }, { dueFrom: '2025-06-01\' or 1 eq 1' }, { status: 'done' }, { top: 101 }]) {
      expect(errorCode(await callTool(adele, 'list_tasks', { listId: listId(ADELE, 'tasks'), ...args })), JSON.stringify(args)).toBe('input_invalid');
    }
    expect(errorCode(await callTool(adele, 'list_tasks', { listId: listId(ADELE, 'tasks'), dueFrom: '2025-06-10', dueBefore: '2025-06-01' }))).toBe('bad_request');
    expect(stack.graph.requests.length).toBe(before);
    const { nextCursor } = structured(listTasks, await callTool(adele, 'list_tasks', { listId: listId(ADELE, 'archive'), status: 'all', top: 10 }));
    expect(errorCode(await callTool(adele, 'list_tasks', { listId: listId(ADELE, 'tasks'), cursor: nextCursor }))).toBe('cursor_invalid');
  });

  it('never lists another user\'s tasks, by guessing their list id', async () => {
    for (const client of [alex, megan]) {
      const result = await callTool(client, 'list_tasks', { listId: listId(ADELE, 'tasks'), status: 'all' });
      expect(errorCode(result)).toBe('not_found');
      expect(JSON.stringify(result)).not.toContain('adele quarterly');
    }
  });
});

describe('create_task and update_task', () => {
  it('creates a task with a due date, importance and note, in the caller\'s list only, audited with its list and its id', async () => {
    let created: ReturnType<typeof createTask.output.parse> | undefined;
    const rows = await auditRowsAddedBy(async () => {
      created = structured(createTask, await callTool(megan, 'create_task', {
        listId: listId(MEGAN, 'tasks'), title: 'Follow up with Lee', dueDate: '2025-07-01', timeZone: 'Europe/Berlin', importance: 'high', note: 'About the <b>drone</b> roadmap',
      }));
    });
    expect(created).toMatchObject({ title: 'Follow up with Lee', status: 'notStarted', importance: 'high', dueDateTime: '2025-07-01T00:00:00', dueTimeZone: 'Europe/Berlin', note: 'About the <b>drone</b> roadmap' });
    const stored = stack.graph.dataOf(MEGAN).taskLists[0]?.tasks.find((task) => task.id === created?.id);
    expect(stored?.body).toEqual({ contentType: 'text', content: 'About the <b>drone</b> roadmap' });
    expect(rows).toEqual([expect.objectContaining({ tool: 'create_task', oid: MEGAN.oid, targetId: listId(MEGAN, 'tasks'), createdId: created?.id, outcome: 'succeeded' })]);
    expect(JSON.stringify(rows)).not.toContain('drone');
    expect(errorCode(await callTool(adele, 'update_task', { listId: listId(MEGAN, 'tasks'), taskId: created?.id, completed: true }))).toBe('not_found');
  });

  it('completes, reopens, retitles and re-dates a task; an update repeated gives the same task', async () => {
    const args = { listId: listId(ADELE, 'tasks'), taskId: `${ADELE.key}-task-visit` };
    const done = structured(updateTask, await callTool(adele, 'update_task', { ...args, completed: true }));
    expect(done.status).toBe('completed');
    expect(done.completedDateTime).toBeTruthy();
    const reopened = structured(updateTask, await callTool(adele, 'update_task', { ...args, completed: false, title: 'Plan the Seattle visit', dueDate: '2025-06-20' }));
    expect(reopened).toMatchObject({ status: 'notStarted', title: 'Plan the Seattle visit', dueDateTime: '2025-06-20T00:00:00' });
    expect(reopened.completedDateTime).toBeUndefined();
    const again = structured(updateTask, await callTool(adele, 'update_task', { ...args, completed: false, title: 'Plan the Seattle visit', dueDate: '2025-06-20' }));
    expect(again).toEqual(reopened);
    const rows = await auditRowsAddedBy(async () => {
      await callTool(adele, 'update_task', { ...args, clearDueDate: true });
    });
    // The list and the task: together they are what Graph needs to find it again.
    expect(rows).toEqual([expect.objectContaining({ tool: 'update_task', targetId: `${args.listId}/${args.taskId}`, outcome: 'succeeded' })]);
    const cleared = structured(updateTask, await callTool(adele, 'update_task', { ...args, clearDueDate: true }));
    expect(cleared.dueDateTime).toBeUndefined();
    expect(taskIn(ADELE, 'visit')?.dueDateTime).toBeNull();
  });

  it('refuses an update with nothing to change, and input Graph would refuse, before calling Graph', async () => {
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'update_task', { listId: listId(ADELE, 'tasks'), taskId: `${ADELE.key}-task-report` }))).toBe('bad_request');
    for (const args of [{ title: '' }, { importance: 'urgent' }, { dueDate: 'tomorrow' }, { dueDate: '' }, { dueDate: '2025-06-20', clearDueDate: true }, { timeZone: 'UTC"\r\nX: y', dueDate: '2025-06-20' }]) {
      expect(errorCode(await callTool(adele, 'update_task', { listId: listId(ADELE, 'tasks'), taskId: `${ADELE.key}-task-report`, ...args })), JSON.stringify(args)).toBe('input_invalid');
    }
    expect(errorCode(await callTool(adele, 'create_task', { listId: listId(ADELE, 'tasks'), title: '   ' }))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });

  it('reports a throttled write after Graph keeps answering 429, and its audit row still names the list', async () => {
    stack.graph.faults.push({ status: 429, retryAfterSeconds: 0, times: 3, path: /\/todo\/lists\/.+\/tasks$/ });
    let result: Awaited<ReturnType<typeof callTool>> | undefined;
    const rows = await auditRowsAddedBy(async () => {
      result = await callTool(alex, 'create_task', { listId: listId(ALEX, 'flagged'), title: 'Never stored' });
    });
    expect(errorCode(result as NonNullable<typeof result>)).toBe('throttled');
    expect(rows).toEqual([expect.objectContaining({ tool: 'create_task', oid: ALEX.oid, targetId: listId(ALEX, 'flagged'), outcome: 'failed', errorCode: 'throttled' })]);
    expect(rows[0]?.['createdId']).toBeUndefined();
    expect(stack.graph.dataOf(ALEX).taskLists[1]?.tasks.some((task) => task.title === 'Never stored')).toBe(false);
  });
});
