// The OneNote tools, in the order clients should see them.
import type { ToolDefinition } from '../defineTool.js';
import { listNotebooks } from './listNotebooks.js';
import { listPages } from './listPages.js';
import { readPage } from './readPage.js';

export const notesTools = [listNotebooks, listPages, readPage] as unknown as readonly ToolDefinition[];
