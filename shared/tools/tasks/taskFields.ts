// How a To Do task reads in tool output and input: the fields every task tool returns, due dates, and one-line rendering.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { capText } from '../../documents/capText.js';
import { convertedOrNotShown, type DocumentContext } from '../documentText.js';
import { graphId, lazily } from '../schemas.js';

/** What `toTask` reads; keep in step with it. */
export const TASK_SELECT = 'id,title,status,importance,dueDateTime,completedDateTime,body,createdDateTime';

const NOTE_CHARS = 2_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const listIdInput = lazily(() => graphId().describe('From list_task_lists'));

/** A calendar date; Date.parse would roll 2025-02-30 over to March. */
export const dateInput = lazily(() => z.string().regex(DATE, 'must be a date like 2025-03-10').refine((value) => {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}, 'must be a real date'));

export const importanceInput = lazily(() => z.enum(['low', 'normal', 'high']));

export const Task = lazily(() => z.object({
  id: z.string(),
  title: z.string(),
  status: z.string().describe('notStarted, inProgress, completed, waitingOnOthers or deferred'),
  importance: z.string(),
  dueDateTime: z.string().optional().describe('Local to dueTimeZone'),
  dueTimeZone: z.string().optional(),
  completedDateTime: z.string().optional(),
  note: z.string().optional(),
}));
export type Task = z.input<ReturnType<typeof Task>>;

/** Graph writes seven fractional digits ("00:00:00.0000000"); nobody needs them. */
function localDateTime(value: string | null | undefined): string | undefined {
  return value == null ? undefined : value.replace(/\.0+$/, '');
}

export async function toTask(task: MicrosoftGraph.TodoTask, context: DocumentContext): Promise<Task> {
  const content = task.body?.content ?? '';
  const note = task.body?.contentType === 'html'
    ? (await convertedOrNotShown(context, { format: 'html', content, name: 'The note', maxChars: NOTE_CHARS }, 'note')).text
    : content.trim();
  const due = localDateTime(task.dueDateTime?.dateTime);
  const completed = localDateTime(task.completedDateTime?.dateTime);
  return {
    id: task.id ?? '',
    title: task.title ?? '',
    status: task.status ?? 'notStarted',
    importance: task.importance ?? 'normal',
    ...(due !== undefined && { dueDateTime: due, dueTimeZone: task.dueDateTime?.timeZone ?? 'UTC' }),
    ...(completed !== undefined && { completedDateTime: completed }),
    ...(note !== '' && { note: capText(note, NOTE_CHARS).text }),
  };
}

export function taskLine(task: Task): string {
  const due = task.dueDateTime === undefined ? '' : ` due ${task.dueDateTime.slice(0, 10)}`;
  const flags = [task.status !== 'notStarted' && task.status, task.importance === 'high' && 'important'].filter(Boolean).join(', ');
  return `- ${task.title || '(no title)'}${due}${flags ? ` [${flags}]` : ''} (id ${task.id})`;
}

/** Graph's dateTimeTimeZone for a due date: To Do keeps the day, at midnight in the given zone. */
export function dueDateTime(date: string, timeZone: string): MicrosoftGraph.DateTimeTimeZone {
  return { dateTime: `${date}T00:00:00`, timeZone };
}
