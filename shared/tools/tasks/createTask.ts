// create_task: a new task in one of the signed-in user's To Do lists.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { timeZoneInput } from '../calendar/calendarSchemas.js';
import { defineTool } from '../defineTool.js';
import { dateInput, dueDateTime, importanceInput, listIdInput, Task, taskLine, toTask } from './taskFields.js';

export const createTask = defineTool({
  name: 'create_task',
  title: 'Create a task',
  description: 'Add a task to a To Do list, with an optional due date, importance and note.',
  scopes: ['Tasks.ReadWrite'],
  input: () => z.object({
    listId: listIdInput(),
    title: z.string().trim().min(1).max(255),
    dueDate: dateInput().optional().describe('YYYY-MM-DD'),
    timeZone: timeZoneInput().default('UTC').describe('Zone of dueDate'),
    importance: importanceInput().default('normal'),
    note: z.string().max(10_000).optional().describe('Plain text'),
  }),
  output: () => Task(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  auditTarget: (input) => input.listId,
  auditCreated: (output) => output.id,
  checkOutcome: 'list the tasks of that list with list_tasks',
  handler: async (input, context) => {
    const { graph } = context;
    const request: MicrosoftGraph.TodoTask = {
      title: input.title,
      importance: input.importance,
      ...(input.dueDate !== undefined && { dueDateTime: dueDateTime(input.dueDate, input.timeZone) }),
      ...(input.note !== undefined && { body: { contentType: 'text', content: input.note } }),
    };
    const task = await toTask(await graph.post<MicrosoftGraph.TodoTask>(`/me/todo/lists/${encodeURIComponent(input.listId)}/tasks`, request), context);
    return { structured: task, text: `Created ${taskLine(task).slice(2)}` };
  },
});
