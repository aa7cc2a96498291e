// list_task_lists: the signed-in user's Microsoft To Do lists.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput } from '../schemas.js';

const TaskList = lazily(() => z.object({
  id: z.string(),
  displayName: z.string(),
  wellknownListName: z.string().optional().describe('defaultList for Tasks, flaggedEmails'),
  isShared: z.boolean().optional(),
}));

export const listTaskLists = defineTool({
  name: 'list_task_lists',
  title: 'List To Do lists',
  description: 'Your Microsoft To Do task lists; their ids are what list_tasks and create_task take.',
  scopes: ['Tasks.Read'],
  input: () => z.object({ cursor: cursorInput() }),
  output: () => z.object({ lists: z.array(TaskList()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.TodoTaskList>(graph, {
      tool: 'list_task_lists',
      path: '/me/todo/lists',
      cursor: input.cursor,
      options: { query: { $select: 'id,displayName,wellknownListName,isShared' } },
    });
    const lists = page.items.map((list) => ({
      id: list.id ?? '',
      displayName: list.displayName ?? '',
      ...(list.wellknownListName != null && list.wellknownListName !== 'none' && { wellknownListName: list.wellknownListName }),
      ...(list.isShared != null && { isShared: list.isShared }),
    }));
    const text = lists.length === 0 ? 'No task lists.' : lists.map((list) => `- ${list.displayName || '(no name)'}${list.wellknownListName === 'defaultList' ? ' [default]' : ''} (id ${list.id})`).join('\n');
    return { structured: { lists, nextCursor: page.nextCursor }, text };
  },
});
