// The policy in infra/: app roles on the server app (the same ones the dev identity provider issues), and the three policy settings
// from azd environment values to the function app, MCP_READ_ONLY always present so an operator can flip it.
import { describe, expect, it } from 'vitest';
import { DEV_APP_ROLES } from '../../sandbox/identity/registrations.js';
import { bicepBlock, bicepText, readRepoText } from './infraFiles.js';

const main = bicepText('infra/main.bicep');
const entra = bicepText('infra/app/entra.bicep');
const api = bicepText('infra/app/api.bicep');
const parameters = JSON.parse(readRepoText('infra/main.parameters.json') ?? '{}') as { parameters: Record<string, { value: unknown }> };

describe('app roles', () => {
  it('defaults to Tools.Read and Tools.Write, the roles dev mode issues, from azd\'s APP_ROLES', () => {
    expect(main).toMatch(/^param appRoles string = 'Tools\.Read,Tools\.Write'$/m);
    expect(entra).toMatch(/^param appRoles array = \[\n {2}'Tools\.Read'\n {2}'Tools\.Write'\n\]$/m);
    expect(Object.keys(DEV_APP_ROLES)).toEqual(['Tools.Read', 'Tools.Write']);
    expect(parameters.parameters['appRoles']?.value).toBe('${APP_ROLES=Tools.Read,Tools.Write}');
    expect(bicepBlock(main, 'module entra ')).toMatch(/appRoles: filter\(map\(split\(appRoles, ','\), role => trim\(role\)\), role => !empty\(role\)\)/);
  });

  it('declares them on both declarations of the server app, with ids that follow from the value, assignable to users and groups', () => {
    for (const declaration of ['resource serverApp ', 'resource serverAppUpdate ']) expect(bicepBlock(entra, declaration), declaration).toMatch(/^ {2}appRoles: serverAppRoles$/m);
    const roles = entra.slice(entra.indexOf('var serverAppRoles'), entra.indexOf('var serverRequiredResourceAccess'));
    expect(roles).toMatch(/id: guid\(serverUniqueName, 'appRole', role\)/);
    expect(roles).toMatch(/value: role/);
    expect(roles).toMatch(/allowedMemberTypes: \[\s*'User'\s*\]/);
    expect(roles).toMatch(/isEnabled: true/);
  });
});

describe('the policy settings', () => {
  it('reach the function app from the azd environment: the policy as an object azd parses, the others as strings', () => {
    expect(parameters.parameters['toolPolicy']?.value).toBe('${MCP_TOOL_POLICY}');
    expect(parameters.parameters['allowedClientApps']?.value).toBe('${MCP_ALLOWED_CLIENT_APPS}');
    expect(parameters.parameters['readOnly']?.value).toBe('${MCP_READ_ONLY=0}');
    expect(main).toMatch(/^param toolPolicy object = \{\}$/m);
    const module = bicepBlock(main, 'module api ');
    expect(module).toMatch(/toolPolicy: empty\(toolPolicy\) \? '' : string\(toolPolicy\)/);
    expect(module).toMatch(/allowedClientApps: allowedClientApps/);
    expect(module).toMatch(/readOnly: readOnly/);
  });

  it('writes MCP_READ_ONLY always, and the policy and the app list only when given', () => {
    const serverSettings = api.slice(api.indexOf('var serverSettings'), api.indexOf('var optionalSettings'));
    expect(serverSettings).toMatch(/MCP_READ_ONLY: readOnly/);
    expect(api).toMatch(/empty\(toolPolicy\) \? \{\} : \{ MCP_TOOL_POLICY: toolPolicy \}/);
    expect(api).toMatch(/empty\(allowedClientApps\) \? \{\} : \{ MCP_ALLOWED_CLIENT_APPS: allowedClientApps \}/);
  });
});
