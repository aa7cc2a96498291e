// The files tools, in the order clients should see them.
import type { ToolDefinition } from '../defineTool.js';
import { listDriveItems } from './listDriveItems.js';
import { listSites } from './listSites.js';
import { readFile } from './readFile.js';
import { searchFiles } from './searchFiles.js';

export const filesTools: readonly ToolDefinition[] = [searchFiles, listDriveItems, readFile, listSites];
