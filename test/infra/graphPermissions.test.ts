// Least privilege in the app registration: infra registers exactly the Graph scopes the offered tools use, read from a
// file that must equal the tool catalog, so adding a tool without its permission (or keeping an unused one) fails here.
import { describe, expect, it } from 'vitest';
import { TOOLS_BY_SET } from '../../shared/tools/catalog.js';
import { bicepBlock, bicepFiles, bicepText, readRepoText } from './infraFiles.js';

interface GraphPermissions {
  readonly tools: readonly { readonly name: string; readonly toolset: string; readonly scopes: readonly string[] }[];
  readonly signInScopes: readonly string[];
  readonly delegatedPermissionIds: Readonly<Record<string, string>>;
}

const permissions = JSON.parse(readRepoText('infra/graphPermissions.json') ?? '{}') as GraphPermissions;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const TOOLS = Object.entries(TOOLS_BY_SET).flatMap(([toolset, tools]) => tools.map((tool) => ({ ...tool, toolset })));
const byName = <T extends { name: string }>(items: readonly T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));
/** Every scope some tool in the catalog needs: what a deployment without GRAPH_SCOPES_GRANTED must register. */
const toolScopes = [...new Set(TOOLS.flatMap((tool) => tool.scopes))].sort();

describe('infra/graphPermissions.json', () => {
  it('lists every tool of the catalog with its area and exactly the scopes it needs', () => {
    const expected = byName(TOOLS.map((tool) => ({ name: tool.name, toolset: tool.toolset, scopes: [...tool.scopes] })));
    expect(byName(permissions.tools), `infra/graphPermissions.json "tools" must be:\n${JSON.stringify(expected)}`).toEqual(expected);
  });

  it('has a permission id for every scope it may register, and none for a scope no tool or sign-in uses', () => {
    const registrable = [...new Set([...toolScopes, ...permissions.signInScopes])].sort();
    expect(Object.keys(permissions.delegatedPermissionIds).sort()).toEqual(registrable);
    const ids = Object.values(permissions.delegatedPermissionIds);
    for (const id of ids) expect(id).toMatch(GUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('signs users in with the OpenID Connect scopes only', () => {
    expect([...permissions.signInScopes].sort()).toEqual(['offline_access', 'openid', 'profile']);
  });
});

describe('infra/ Bicep', () => {
  const main = bicepText('infra/main.bicep');
  const entra = bicepText('infra/app/entra.bicep');

  it('names no Graph scope itself: every one comes from graphPermissions.json', () => {
    for (const file of bicepFiles()) {
      for (const name of toolScopes) expect(file.text, `${file.path} names ${name}`).not.toContain(`'${name}'`);
    }
  });

  it('registers the scopes of the tools a deployment offers, as the server chooses them', () => {
    expect(main).toContain("loadJsonContent('./graphPermissions.json')");
    // Offered: its area is chosen (MCP_TOOLSETS empty: all) and every scope it needs is granted (GRAPH_SCOPES_GRANTED
    // empty: all), as createToolCatalog decides.
    expect(main).toMatch(/var offeredTools = filter\(graphPermissions\.tools, tool => \(empty\(requestedToolsets\) \|\| contains\(requestedToolsets, tool\.toolset\)\) && \(empty\(requestedToolScopes\) \|\| empty\(filter\(tool\.scopes,/);
    expect(main).toMatch(/var registeredGraphScopes = union\(flatten\(map\(offeredTools, tool => tool\.scopes\)\), \[\]\)/);
    expect(bicepBlock(main, 'module entra ')).toMatch(/graphScopes: registeredGraphScopes/);
    expect(bicepBlock(main, 'module api ')).toMatch(/graphScopesGranted: join\(grantedScopeNames, ','\)/);
    expect(bicepBlock(main, 'module api ')).toMatch(/toolsets: join\(requestedToolsets, ','\)/);
  });

  it('asks for those scopes and the sign-in ones on the server app, by their ids', () => {
    expect(entra).toContain("loadJsonContent('../graphPermissions.json')");
    expect(entra).toMatch(/var serverGraphScopes = union\(graphScopes, signInScopes\)/);
    expect(entra).toMatch(/resourceAccess: map\(serverGraphScopes, name => \{\s*id: graphDelegatedScopeIds\[name\]/);
    for (const declaration of ["resource serverApp '", "resource serverAppUpdate '"]) {
      expect(bicepBlock(entra, declaration)).toContain('requiredResourceAccess: serverRequiredResourceAccess');
    }
  });
});

describe('docs', () => {
  it('docs/foundry.md lists the Graph permissions the server registers, and no others', () => {
    const foundry = readRepoText('docs/foundry.md') ?? '';
    for (const scope of toolScopes) expect(foundry, scope).toContain(`\`${scope}\``);
    const table = [...foundry.matchAll(/^\| `[a-z]+` \| (.*) \|$/gm)].flatMap((row) => [...(row[1] ?? '').matchAll(/`([^`]+)`/g)].map((name) => name[1]));
    expect([...new Set(table)].sort()).toEqual(toolScopes);
  });
});
