// Local Graph: Microsoft To Do lists and tasks ($filter on status and due date, create, update) per user, and sample tasks.
import { createHash } from 'node:crypto';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page, satisfies, type Comparison } from './odata.js';
import { checkTop, decodeParam, isObject } from './pageSize.js';
import type { StoredTaskList, UserData, WithId } from './userData.js';

type StoredTask = WithId<MicrosoftGraph.TodoTask>;

const READ = ['Tasks.Read', 'Tasks.ReadWrite'];
const WRITE = ['Tasks.ReadWrite'];
/** Tasks in each user's "Archive" list, for paging. */
export const ARCHIVED_TASKS = 120;

const STATUSES = new Set(['notStarted', 'inProgress', 'completed', 'waitingOnOthers', 'deferred']);
const IMPORTANCES = new Set(['low', 'normal', 'high']);
const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/;

const notFound = (): GraphReply => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const invalid = (message: string): GraphReply => graphError(400, 'invalidRequest', message);

function findList({ data, params }: GraphContext): StoredTaskList | GraphReply {
  const id = decodeParam(params[0]);
  if (id === undefined) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  return data.taskLists.find((list) => list.id === id) ?? notFound();
}

// ---- $filter: `status eq|ne '…'` and `dueDateTime/dateTime ge|gt|le|lt '…'`, joined by `and` ----

interface Clause {
  readonly property: 'status' | 'dueDateTime/dateTime' | 'importance';
  readonly op: Comparison;
  readonly value: string;
}

function parseFilter(filter: string): Clause[] | GraphReply {
  const clauses: Clause[] = [];
  for (const part of filter.trim().split(/\s+and\s+/i)) {
    const match = /^(status|importance|dueDateTime\/dateTime)\s+(eq|ne|gt|ge|lt|le)\s+'([^']*)'$/.exec(part.trim());
    if (match === null) return invalid(`Invalid filter clause: '${part}' is not supported.`);
    const [, property, op, value = ''] = match;
    if (property === 'status' && !STATUSES.has(value)) return invalid(`'${value}' is not a valid taskStatus.`);
    clauses.push({ property: property as Clause['property'], op: op as Comparison, value });
  }
  return clauses;
}

function passes(task: StoredTask, clause: Clause): boolean {
  const actual = clause.property === 'status' ? task.status ?? 'notStarted'
    : clause.property === 'importance' ? task.importance ?? 'normal'
      : task.dueDateTime?.dateTime ?? undefined;
  // A task without a due date matches no comparison on it, as in Graph.
  if (actual === undefined) return false;
  const order = actual < clause.value ? -1 : actual > clause.value ? 1 : 0;
  return satisfies(order, clause.op);
}

function listTasks(context: GraphContext): GraphReply {
  const list = findList(context);
  if ('status' in list) return list;
  const top = checkTop(context.url, 1000);
  if (top !== undefined) return top;
  const filter = context.url.searchParams.get('$filter');
  let tasks = list.tasks;
  if (filter !== null) {
    const clauses = parseFilter(filter);
    if (!Array.isArray(clauses)) return clauses;
    tasks = tasks.filter((task) => clauses.every((clause) => passes(task, clause)));
  }
  return { status: 200, body: page(tasks, context.url, 10) };
}

// ---- writes ----

function readDateTime(value: unknown, property: string): MicrosoftGraph.DateTimeTimeZone | null | GraphReply {
  if (value === null) return null;
  if (!isObject(value) || typeof value['dateTime'] !== 'string' || !WALL_TIME.test(value['dateTime']) || typeof value['timeZone'] !== 'string' || value['timeZone'] === '') {
    return invalid(`Invalid value for '${property}': a dateTimeTimeZone with dateTime and timeZone was expected.`);
  }
  // To Do keeps seven fractional digits.
  return { dateTime: `${value['dateTime'].replace(/\.\d+$/, '')}.0000000`, timeZone: value['timeZone'] };
}

/** Applies a create or update body to `task`; a GraphReply for a property Graph would refuse. */
function applyBody(task: StoredTask, body: Record<string, unknown>): GraphReply | undefined {
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'title':
        if (typeof value !== 'string') return invalid('title must be a string.');
        task.title = value;
        break;
      case 'importance':
        if (typeof value !== 'string' || !IMPORTANCES.has(value)) return invalid(`Cannot convert the literal '${String(value)}' to the expected type 'microsoft.graph.importance'.`);
        task.importance = value as MicrosoftGraph.Importance;
        break;
      case 'status': {
        if (typeof value !== 'string' || !STATUSES.has(value)) return invalid(`Cannot convert the literal '${String(value)}' to the expected type 'microsoft.graph.taskStatus'.`);
        task.status = value as MicrosoftGraph.TaskStatus;
        task.completedDateTime = value === 'completed' ? { dateTime: `${new Date().toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' } : null;
        break;
      }
      case 'dueDateTime': {
        const due = readDateTime(value, key);
        if (due !== null && 'status' in due) return due;
        task.dueDateTime = due;
        break;
      }
      case 'body': {
        const content = isObject(value) ? value['content'] : undefined;
        const type = isObject(value) ? value['contentType'] ?? 'text' : undefined;
        if (typeof content !== 'string' || (type !== 'text' && type !== 'html')) return invalid('Invalid value for \'body\'.');
        task.body = { content, contentType: type };
        break;
      }
      default:
        return invalid(`Property '${key}' cannot be set here.`);
    }
  }
  task.lastModifiedDateTime = new Date().toISOString();
  return undefined;
}

function createTask(context: GraphContext): GraphReply {
  const list = findList(context);
  if ('status' in list) return list;
  if (!isObject(context.body)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  if (typeof context.body['title'] !== 'string' || context.body['title'] === '') return invalid('title is required.');
  const now = new Date().toISOString();
  const task: StoredTask = {
    id: `${context.data.user.key}-task-${createHash('sha256').update(`${now}/${Math.random()}`).digest('base64url').slice(0, 22)}`,
    title: '', status: 'notStarted', importance: 'normal', isReminderOn: false, createdDateTime: now, lastModifiedDateTime: now,
    body: { content: '', contentType: 'text' }, dueDateTime: null, completedDateTime: null, categories: [], hasAttachments: false,
  };
  const refused = applyBody(task, context.body);
  if (refused !== undefined) return refused;
  list.tasks.push(task);
  return { status: 201, body: task };
}

function updateTask(context: GraphContext): GraphReply {
  const list = findList(context);
  if ('status' in list) return list;
  const id = decodeParam(context.params[1]);
  const task = list.tasks.find((candidate) => candidate.id === id);
  if (task === undefined) return notFound();
  if (!isObject(context.body)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  // Graph refuses the whole request when one property is wrong: change a copy, keep it only when all apply.
  const changed: StoredTask = { ...task };
  const refused = applyBody(changed, context.body);
  if (refused !== undefined) return refused;
  Object.assign(task, changed);
  return { status: 200, body: task };
}

export const tasksRoutes: readonly GraphRoute[] = [
  {
    method: 'GET', pattern: /^\/me\/todo\/lists$/, anyScope: READ,
    handle: ({ data, url }) => ({ status: 200, body: page(data.taskLists.map(({ tasks: _tasks, ...list }) => list), url, 10) }),
  },
  { method: 'GET', pattern: /^\/me\/todo\/lists\/([^/]+)\/tasks$/, anyScope: READ, handle: listTasks },
  { method: 'POST', pattern: /^\/me\/todo\/lists\/([^/]+)\/tasks$/, anyScope: WRITE, handle: createTask },
  { method: 'PATCH', pattern: /^\/me\/todo\/lists\/([^/]+)\/tasks\/([^/]+)$/, anyScope: WRITE, handle: updateTask },
];

// ---- sample tasks ----

const SEED_DAY = Date.UTC(2025, 5, 2);

function day(offset: number): string {
  return new Date(SEED_DAY + offset * 86_400_000).toISOString().slice(0, 10);
}

function seedTask(data: UserData, slug: string, fields: Partial<StoredTask>): StoredTask {
  const created = new Date(SEED_DAY - 30 * 86_400_000).toISOString();
  return {
    id: `${data.user.key}-task-${slug}`, title: slug, status: 'notStarted', importance: 'normal', isReminderOn: false,
    createdDateTime: created, lastModifiedDateTime: created, body: { content: '', contentType: 'text' },
    dueDateTime: null, completedDateTime: null, categories: [], hasAttachments: false, ...fields,
  };
}

const due = (offset: number): MicrosoftGraph.DateTimeTimeZone => ({ dateTime: `${day(offset)}T00:00:00.0000000`, timeZone: 'UTC' });

/** Three lists per user: Tasks (the default, varied), Flagged email, and an archive of 120 for paging. */
export function seedTasks(data: UserData): void {
  const { key } = data.user;
  const tasks = [
    seedTask(data, 'report', { title: `Send the ${key} quarterly report`, importance: 'high', dueDateTime: due(1), body: { content: `Numbers for ${key}'s stores.`, contentType: 'text' } }),
    seedTask(data, 'visit', { title: 'Plan the store visit', dueDateTime: due(5), status: 'inProgress' }),
    seedTask(data, 'budget', { title: 'Approve the budget', dueDateTime: due(-3), status: 'completed', completedDateTime: { dateTime: `${day(-2)}T10:00:00.0000000`, timeZone: 'UTC' } }),
    seedTask(data, 'html-note', { title: 'Read the briefing', dueDateTime: due(12), body: { content: '<p>Read <b>before</b> Monday.</p><script>x()</script>', contentType: 'html' } }),
    seedTask(data, 'someday', { title: 'Tidy the shared drive', importance: 'low' }),
  ];
  data.taskLists = [
    { id: `${key}-list-tasks`, displayName: 'Tasks', isOwner: true, isShared: false, wellknownListName: 'defaultList', tasks },
    { id: `${key}-list-flagged`, displayName: 'Flagged email', isOwner: true, isShared: false, wellknownListName: 'flaggedEmails', tasks: [] },
    {
      id: `${key}-list-archive`, displayName: 'Archive', isOwner: true, isShared: false, wellknownListName: 'none',
      tasks: Array.from({ length: ARCHIVED_TASKS }, (_, index) => seedTask(data, `archive-${String(index + 1).padStart(3, '0')}`, {
        title: `Archived ${key} task ${index + 1}`, status: 'completed', dueDateTime: due(-100 + index),
      })),
    },
  ];
}
