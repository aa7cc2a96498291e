// GRAPH_SCOPES_GRANTED knows exactly the scopes the tools use (in all, and per area), and a list separated by spaces still offers tools.
import { describe, expect, it } from 'vitest';
import { TOOL_GRAPH_SCOPES } from '../../shared/config/graphScopes.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { TOOLSET_LENDERS, TOOLSET_SCOPES, TOOLSETS } from '../../shared/config/toolsets.js';
import { createToolCatalog, TOOLS, TOOLS_BY_SET } from '../../shared/tools/catalog.js';

describe('TOOL_GRAPH_SCOPES', () => {
  it('is the set of scopes the tools declare', () => {
    const declared = new Set(TOOLS.flatMap((tool) => tool.scopes));
    expect(new Set(TOOL_GRAPH_SCOPES)).toEqual(declared);
  });
});

/** The scopes a tool is used with: its own, or, for one that borrows, those of the tools it borrows. */
const scopesOf = (tool: (typeof TOOLS)[number]): readonly string[] =>
  tool.borrows === undefined ? tool.scopes : TOOLS.filter((lender) => tool.borrows?.includes(lender.name)).flatMap((lender) => lender.scopes);

describe('TOOLSET_SCOPES', () => {
  it('is, for each area, the scopes that alone let it offer a tool, and all of a tool\'s that has none of those: an area none of whose scopes is granted offers nothing', () => {
    for (const set of TOOLSETS) {
      const tools = TOOLS_BY_SET[set];
      const single = tools.filter((tool) => tool.borrows === undefined && tool.scopes.length === 1).flatMap((tool) => tool.scopes);
      const borrowed = tools.filter((tool) => tool.borrows !== undefined).flatMap(scopesOf);
      const uncovered = tools.filter((tool) => tool.borrows === undefined && !tool.scopes.some((scope) => single.includes(scope))).flatMap((tool) => tool.scopes);
      expect(new Set(TOOLSET_SCOPES[set]), set).toEqual(new Set([...single, ...borrowed, ...uncovered]));
      for (const tool of tools) {
        expect(tool.borrows === undefined ? tool.scopes.length > 0 : tool.scopes.length === 0, tool.name).toBe(true);
        expect(scopesOf(tool).some((scope) => TOOLSET_SCOPES[set].includes(scope)), tool.name).toBe(true);
      }
      // A tool that borrows comes with the tools it borrows from, as a deployment offering both areas would have it.
      const withLenders = [set, ...TOOLSETS.filter((other) => tools.some((tool) => TOOLS_BY_SET[other].some((lender) => tool.borrows?.includes(lender.name))))];
      for (const scope of TOOLSET_SCOPES[set]) {
        // The scope, with the others of the tool that needs the fewest alongside it.
        const needing = tools.filter((tool) => scopesOf(tool).includes(scope)).sort((a, b) => scopesOf(a).length - scopesOf(b).length)[0];
        const granted = needing === undefined || needing.borrows !== undefined ? [scope] : [...needing.scopes];
        const offered = [...createToolCatalog(granted, withLenders).tools.values()];
        expect(offered.filter((tool) => tools.includes(tool)).length, `${set} with ${granted.join(' ')}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('TOOLSET_LENDERS', () => {
  it('names, for each area whose tools borrow, the areas of the tools they borrow from', () => {
    for (const set of TOOLSETS) {
      const borrowed = TOOLS_BY_SET[set].flatMap((tool) => tool.borrows ?? []);
      const lenders = TOOLSETS.filter((other) => TOOLS_BY_SET[other].some((tool) => borrowed.includes(tool.name)));
      expect([...(TOOLSET_LENDERS[set] ?? [])].sort(), set).toEqual(lenders.sort());
    }
  });
});

describe('a tool that borrows', () => {
  it('borrows from read-only tools only, and is offered only with one of them', () => {
    for (const tool of TOOLS.filter((candidate) => candidate.borrows !== undefined)) {
      const lenders = TOOLS.filter((lender) => tool.borrows?.includes(lender.name));
      expect(lenders.map((lender) => lender.name).sort(), tool.name).toEqual([...(tool.borrows ?? [])].sort());
      for (const lender of lenders) expect(lender.annotations.readOnlyHint, lender.name).toBe(true);
      const [set] = TOOLSETS.filter((candidate) => TOOLS_BY_SET[candidate].includes(tool));
      expect(createToolCatalog(undefined, set === undefined ? [] : [set]).tools.has(tool.name), 'alone').toBe(false);
      expect(createToolCatalog(['Notes.Read']).tools.has(tool.name), 'with none of its lenders\' scopes').toBe(false);
    }
  });
});

describe('a granted list separated by spaces', () => {
  it('lists the tools those scopes allow, not none', () => {
    const granted = parseConfig({ MCP_DEV_MODE: '1', GRAPH_SCOPES_GRANTED: 'User.Read Mail.Read Mail.Send' }).graphScopesGranted;
    expect(createToolCatalog(granted).listed.map((tool) => tool.name).sort()).toEqual(['get_message', 'list_attachments', 'list_messages', 'read_attachment', 'search', 'search_messages', 'send_mail', 'whoami']);
  });
});
