// The To Do tools, in the order clients should see them.
import type { ToolDefinition } from '../defineTool.js';
import { createTask } from './createTask.js';
import { listTaskLists } from './listTaskLists.js';
import { listTasks } from './listTasks.js';
import { updateTask } from './updateTask.js';

export const tasksTools = [listTaskLists, listTasks, createTask, updateTask] as unknown as readonly ToolDefinition[];
