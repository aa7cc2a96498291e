// A borrowing tool reaches Graph only as a read-only tool it names, offered here and allowed to the caller: never as any other.
import { describe, expect, it } from 'vitest';
import type { VerifiedCaller } from '../../shared/auth/identity.js';
import { lenderFor } from '../../shared/mcp/lenderFor.js';
import type { ToolPolicy } from '../../shared/policy/toolPolicy.js';
import { createToolCatalog } from '../../shared/tools/catalog.js';
import type { ToolDefinition } from '../../shared/tools/defineTool.js';
import { search } from '../../shared/tools/search/search.js';

const caller = { identity: { tid: 't', oid: 'o', roles: [] } } as unknown as VerifiedCaller;
const everyone: ToolPolicy = { toolsFor: () => undefined, checkTool: () => undefined };
const refusing = (name: string): ToolPolicy => ({
  toolsFor: () => undefined,
  checkTool: (_identity, tool) => (tool.name === name ? { reason: 'role', roles: [], clientApps: [] } : undefined),
});
const all = createToolCatalog(undefined);
const borrower = search as unknown as ToolDefinition;

describe('lenderFor', () => {
  it('lends a read-only tool the borrower names, offered and allowed', () => {
    expect(lenderFor(borrower, 'get_message', all, everyone, caller)?.scopes).toEqual(['Mail.Read']);
  });

  it('lends no tool the borrower does not name, however harmless', () => {
    expect(lenderFor(borrower, 'list_messages', all, everyone, caller)).toBeUndefined();
    expect(lenderFor({ ...borrower, borrows: undefined }, 'get_message', all, everyone, caller)).toBeUndefined();
  });

  it('lends no tool that changes something, even one the borrower names', () => {
    expect(lenderFor({ ...borrower, borrows: ['send_mail'] }, 'send_mail', all, everyone, caller)).toBeUndefined();
  });

  it('lends no tool the deployment does not offer, or the policy does not allow the caller', () => {
    expect(lenderFor(borrower, 'get_message', createToolCatalog(undefined, ['files', 'search']), everyone, caller)).toBeUndefined();
    expect(lenderFor(borrower, 'get_message', createToolCatalog(['Files.Read.All', 'Mail.Send']), everyone, caller)).toBeUndefined();
    expect(lenderFor(borrower, 'get_message', all, refusing('get_message'), caller)).toBeUndefined();
    expect(lenderFor(borrower, 'read_file', all, refusing('get_message'), caller)?.name).toBe('read_file');
  });
});
