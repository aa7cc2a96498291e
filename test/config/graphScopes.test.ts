// GRAPH_SCOPES_GRANTED knows exactly the scopes the tools use, and a list separated by spaces still offers tools.
import { describe, expect, it } from 'vitest';
import { TOOL_GRAPH_SCOPES } from '../../shared/config/graphScopes.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { createToolCatalog, TOOLS } from '../../shared/tools/catalog.js';

describe('TOOL_GRAPH_SCOPES', () => {
  it('is the set of scopes the tools declare', () => {
    const declared = new Set(TOOLS.flatMap((tool) => tool.scopes));
    expect(new Set(TOOL_GRAPH_SCOPES)).toEqual(declared);
  });
});

describe('a granted list separated by spaces', () => {
  it('lists the tools those scopes allow, not none', () => {
    const granted = parseConfig({ MCP_DEV_MODE: '1', GRAPH_SCOPES_GRANTED: 'User.Read Mail.Read Mail.Send' }).graphScopesGranted;
    expect(createToolCatalog(granted).listed.map((tool) => tool.name).sort()).toEqual(['get_message', 'list_messages', 'search_messages', 'send_mail', 'whoami']);
  });
});
