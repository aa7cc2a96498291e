// update_task: completes, reopens, retitles or re-dates one of the signed-in user's To Do tasks.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { timeZoneInput } from '../calendar/calendarSchemas.js';
import { defineTool } from '../defineTool.js';
import { graphId } from '../schemas.js';
import { dateInput, dueDateTime, importanceInput, listIdInput, Task, taskLine, toTask } from './taskFields.js';

export const updateTask = defineTool({
  name: 'update_task',
  title: 'Update a task',
  description: 'Complete or reopen a To Do task, or change its title, due date, importance or note; omitted fields stay.',
  scopes: ['Tasks.ReadWrite'],
  input: () => z.object({
    listId: listIdInput(),
    taskId: graphId().describe('From list_tasks'),
    completed: z.boolean().optional().describe('true completes, false reopens'),
    title: z.string().trim().min(1).max(255).optional(),
    dueDate: dateInput().optional().describe('New due date, YYYY-MM-DD'),
    clearDueDate: z.boolean().optional().describe('true removes the due date'),
    timeZone: timeZoneInput().default('UTC').describe('Zone of dueDate'),
    importance: importanceInput().optional(),
    note: z.string().max(10_000).optional().describe('Replaces the note'),
  }).refine((input) => !(input.clearDueDate === true && input.dueDate !== undefined), { message: 'Give dueDate or clearDueDate, not both', path: ['clearDueDate'] }),
  output: () => Task(),
  // Destructive: a note given replaces the old one (an empty one empties it), and clearDueDate removes the due date.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  auditTarget: (input) => `${input.listId}/${input.taskId}`,
  handler: async (input, context) => {
    const { graph } = context;
    const patch: MicrosoftGraph.TodoTask = {
      ...(input.completed !== undefined && { status: input.completed ? 'completed' : 'notStarted' }),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.dueDate !== undefined && { dueDateTime: dueDateTime(input.dueDate, input.timeZone) }),
      ...(input.clearDueDate === true && { dueDateTime: null }),
      ...(input.importance !== undefined && { importance: input.importance }),
      ...(input.note !== undefined && { body: { contentType: 'text', content: input.note } }),
    };
    if (Object.keys(patch).length === 0) throw new GraphError('bad_request', 'Nothing to change: give completed, title, dueDate, clearDueDate, importance or note');
    const path = `/me/todo/lists/${encodeURIComponent(input.listId)}/tasks/${encodeURIComponent(input.taskId)}`;
    const task = await toTask(await graph.patch<MicrosoftGraph.TodoTask>(path, patch), context);
    return { structured: task, text: `Updated ${taskLine(task).slice(2)}` };
  },
});
