// Every tool the server offers, by area, and the precomputed tools/list entries for the chosen areas and granted scopes.
import { TOOLSETS, type Toolset } from '../config/toolsets.js';
import type { ToolDefinition } from './defineTool.js';
import { listedSchema } from './listedSchema.js';
import { calendarTools } from './calendar/calendarTools.js';
import { filesTools } from './files/filesTools.js';
import { mailTools } from './mail/mailTools.js';
import { getMeetingTranscript } from './meetings/getMeetingTranscript.js';
import { notesTools } from './notes/notesTools.js';
import { search } from './search/search.js';
import { findPeople } from './profile/findPeople.js';
import { getManager } from './profile/getManager.js';
import { listDirectReports } from './profile/listDirectReports.js';
import { whoami } from './profile/whoami.js';
import { tasksTools } from './tasks/tasksTools.js';
import { teamsTools } from './teams/teamsTools.js';

// Each area lists its tools in its own file, in the order clients should see them.
export const TOOLS_BY_SET: Readonly<Record<Toolset, readonly ToolDefinition[]>> = {
  profile: [whoami, findPeople, getManager, listDirectReports],
  calendar: calendarTools,
  mail: mailTools,
  files: filesTools,
  teams: teamsTools,
  tasks: tasksTools,
  notes: notesTools,
  meetings: [getMeetingTranscript],
  search: [search],
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
  /**
   * The entries of the tools named in `allowed` (all when undefined), in catalog order. Each distinct set's
   * answer is built once from the shared entries and kept by its `key`, up to `MAX_LISTED_ANSWERS` sets.
   */
  listedFor(allowed: { readonly names: ReadonlySet<string>; readonly key: string } | undefined): readonly ListedTool[];
  /**
   * The JSON text of an answer `listedFor` (or `listed`) handed out, written once per answer and kept with it;
   * undefined for any other array. The answers are frozen, so the text stays theirs.
   */
  listedJson(tools: unknown): string | undefined;
}

/** Distinct tools/list answers kept: far more than the role and app combinations of any policy; past it, the oldest goes. */
export const MAX_LISTED_ANSWERS = 64;

/**
 * The tools of the chosen areas (all by default) whose every scope is granted (all of them when `granted` is
 * undefined), with schemas built once, when first listed.
 */
export function createToolCatalog(granted: readonly string[] | undefined, toolsets: readonly Toolset[] = TOOLSETS): ToolCatalog {
  const grantedSet = granted === undefined ? undefined : new Set(granted.map((scope) => scope.toLowerCase()));
  const chosen = TOOLSETS.filter((set) => toolsets.includes(set)).flatMap((set) => TOOLS_BY_SET[set])
    .filter((tool) => grantedSet === undefined || tool.scopes.every((scope) => grantedSet.has(scope.toLowerCase())));
  // A tool that borrows is offered only with one of the tools it borrows from: alone it could reach nothing.
  const offered = chosen.filter((tool) => tool.borrows === undefined || chosen.some((other) => tool.borrows?.includes(other.name) === true));
  let listed: readonly ListedTool[] | undefined;
  // Each answer's JSON text, written the first time a tools/list answer is serialised, and gone with the answer.
  const texts = new WeakMap<readonly ListedTool[], string>();
  const handedOut = new WeakSet<readonly ListedTool[]>();
  const handOut = (answer: ListedTool[]): readonly ListedTool[] => {
    const frozen = Object.freeze(answer);
    handedOut.add(frozen);
    return frozen;
  };
  // Built on the first tools/list, not at import: a cold instance whose first request is a tool call skips it.
  // Entries and schemas are frozen too: the JSON text written from them must stay true.
  const all = (): readonly ListedTool[] => listed ??= handOut(offered.map((tool) => deepFreeze({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: listedSchema(tool.input, 'input'),
    outputSchema: listedSchema(tool.output, 'output'),
    annotations: tool.annotations,
  })));
  // A policy's answers share the entries (and their schemas), so each costs an array of references.
  const answers = new Map<string, readonly ListedTool[]>();
  return {
    tools: new Map(offered.map((tool) => [tool.name, tool])),
    get listed() {
      return all();
    },
    listedFor(allowed) {
      if (allowed === undefined) return all();
      let answer = answers.get(allowed.key);
      if (answer === undefined) {
        answer = handOut(all().filter((tool) => allowed.names.has(tool.name)));
        if (answers.size >= MAX_LISTED_ANSWERS) answers.delete(answers.keys().next().value ?? '');
        answers.set(allowed.key, answer);
      }
      return answer;
    },
    listedJson(tools) {
      if (!Array.isArray(tools) || !handedOut.has(tools)) return undefined;
      let text = texts.get(tools);
      if (text === undefined) {
        text = JSON.stringify(tools);
        texts.set(tools, text);
      }
      return text;
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
