// GRAPH_SCOPES_GRANTED knows exactly the scopes the tools use (in all, and per area), and a list separated by spaces still offers tools.
import { describe, expect, it } from 'vitest';
import { TOOL_GRAPH_SCOPES } from '../../shared/config/graphScopes.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { TOOLSET_SCOPES, TOOLSETS } from '../../shared/config/toolsets.js';
import { createToolCatalog, TOOLS, TOOLS_BY_SET } from '../../shared/tools/catalog.js';

describe('TOOL_GRAPH_SCOPES', () => {
  it('is the set of scopes the tools declare', () => {
    const declared = new Set(TOOLS.flatMap((tool) => tool.scopes));
    expect(new Set(TOOL_GRAPH_SCOPES)).toEqual(declared);
  });
});

describe('TOOLSET_SCOPES', () => {
  it('is, for each area, the scopes of its one-scope tools, one of which every tool needs: an area offers a tool exactly when one is granted', () => {
    for (const set of TOOLSETS) {
      for (const tool of TOOLS_BY_SET[set]) expect(tool.scopes.some((scope) => TOOLSET_SCOPES[set].includes(scope)), tool.name).toBe(true);
      expect(new Set(TOOLSET_SCOPES[set]), set).toEqual(new Set(TOOLS_BY_SET[set].filter((tool) => tool.scopes.length === 1).flatMap((tool) => tool.scopes)));
      for (const scope of TOOLSET_SCOPES[set]) expect(createToolCatalog([scope], [set]).tools.size, `${set} with ${scope}`).toBeGreaterThan(0);
    }
  });
});

describe('a granted list separated by spaces', () => {
  it('lists the tools those scopes allow, not none', () => {
    const granted = parseConfig({ MCP_DEV_MODE: '1', GRAPH_SCOPES_GRANTED: 'User.Read Mail.Read Mail.Send' }).graphScopesGranted;
    expect(createToolCatalog(granted).listed.map((tool) => tool.name).sort()).toEqual(['get_message', 'list_messages', 'search_messages', 'send_mail', 'whoami']);
  });
});
