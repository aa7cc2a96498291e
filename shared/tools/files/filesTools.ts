// The files tools, in the order clients should see them.
import type { ToolDefinition } from '../defineTool.js';

export const filesTools: readonly ToolDefinition[] = [];
