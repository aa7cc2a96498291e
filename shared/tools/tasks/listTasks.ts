// list_tasks: the tasks of one To Do list, by status and due window, paged.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { dateInput, listIdInput, Task, TASK_SELECT, taskLine, toTask } from './taskFields.js';

const STATUS_FILTER = { open: 'status ne \'completed\'', completed: 'status eq \'completed\'', all: undefined } as const;

export const listTasks = defineTool({
  name: 'list_tasks',
  title: 'List tasks',
  description: 'Tasks of a To Do list: open by default, optionally due in a window of dates (UTC).',
  scopes: ['Tasks.Read'],
  input: () => z.object({
    listId: listIdInput(),
    status: z.enum(['open', 'completed', 'all']).default('open'),
    dueFrom: dateInput().optional().describe('Due on or after, YYYY-MM-DD'),
    dueBefore: dateInput().optional().describe('Due before, YYYY-MM-DD'),
    top: pageSizeInput(100, 25),
    cursor: cursorInput(),
  }),
  output: () => z.object({ tasks: z.array(Task()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, context) => {
    const { graph } = context;
    if (input.dueFrom !== undefined && input.dueBefore !== undefined && !(input.dueBefore > input.dueFrom)) {
      throw new GraphError('bad_request', 'dueBefore must be after dueFrom');
    }
    // To Do filters on the due date's local part; the dates are checked above, so quoting them is safe.
    const clauses = [
      STATUS_FILTER[input.status],
      input.dueFrom === undefined ? undefined : `dueDateTime/dateTime ge '${input.dueFrom}T00:00:00'`,
      input.dueBefore === undefined ? undefined : `dueDateTime/dateTime lt '${input.dueBefore}T00:00:00'`,
    ].filter((clause) => clause !== undefined);
    const page = await listPage<MicrosoftGraph.TodoTask>(graph, {
      tool: 'list_tasks',
      path: `/me/todo/lists/${encodeURIComponent(input.listId)}/tasks`,
      cursor: input.cursor,
      options: { query: { $select: TASK_SELECT, $top: input.top, $filter: clauses.length === 0 ? undefined : clauses.join(' and ') } },
    });
    const tasks = await Promise.all(page.items.map((task) => toTask(task, context)));
    const more = page.nextCursor === undefined ? '' : '\nMore tasks: call again with nextCursor.';
    return { structured: { tasks, nextCursor: page.nextCursor }, text: tasks.length === 0 ? 'No matching tasks.' : `${tasks.map(taskLine).join('\n')}${more}` };
  },
});
