// Every tool the server offers, by area, and the precomputed tools/list entries for the chosen areas and granted scopes.
import { TOOLSETS, type Toolset } from '../config/toolsets.js';
import type { ToolDefinition } from './defineTool.js';
import { listedSchema } from './listedSchema.js';
import { calendarTools } from './calendar/calendarTools.js';
import { filesTools } from './files/filesTools.js';
import { mailTools } from './mail/mailTools.js';
import { notesTools } from './notes/notesTools.js';
import { findPeople } from './profile/findPeople.js';
import { whoami } from './profile/whoami.js';
import { tasksTools } from './tasks/tasksTools.js';
import { teamsTools } from './teams/teamsTools.js';

// Each area lists its tools in its own file, in the order clients should see them.
export const TOOLS_BY_SET: Readonly<Record<Toolset, readonly ToolDefinition[]>> = {
  profile: [whoami, findPeople],
  calendar: calendarTools,
  mail: mailTools,
  files: filesTools,
  teams: teamsTools,
  tasks: tasksTools,
  notes: notesTools,
};

export const TOOLS: readonly ToolDefinition[] = TOOLSETS.flatMap((set) => TOOLS_BY_SET[set]);

/** The tools/list entry of a tool, as MCP clients receive it. */
export interface ListedTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema: Record<string, unknown>;
  readonly annotations: ToolDefinition['annotations'];
}

export interface ToolCatalog {
  readonly tools: ReadonlyMap<string, ToolDefinition>;
  readonly listed: readonly ListedTool[];
}

/**
 * The tools of the chosen areas (all by default) whose every scope is granted (all of them when `granted` is
 * undefined), with schemas built once, when first listed.
 */
export function createToolCatalog(granted: readonly string[] | undefined, toolsets: readonly Toolset[] = TOOLSETS): ToolCatalog {
  const grantedSet = granted === undefined ? undefined : new Set(granted.map((scope) => scope.toLowerCase()));
  const offered = TOOLSETS.filter((set) => toolsets.includes(set)).flatMap((set) => TOOLS_BY_SET[set])
    .filter((tool) => grantedSet === undefined || tool.scopes.every((scope) => grantedSet.has(scope.toLowerCase())));
  let listed: readonly ListedTool[] | undefined;
  return {
    tools: new Map(offered.map((tool) => [tool.name, tool])),
    // Built on the first tools/list, not at import: a cold instance whose first request is a tool call skips it.
    get listed() {
      listed ??= offered.map((tool) => ({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: listedSchema(tool.input, 'input'),
        outputSchema: listedSchema(tool.output, 'output'),
        annotations: tool.annotations,
      }));
      return listed;
    },
  };
}
