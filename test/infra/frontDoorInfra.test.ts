// Front Door in infra/: off by default; set FRONT_DOOR_ID and only that profile reaches the app (service tag plus
// X-Azure-FDID), and the server reads callers' addresses where Front Door writes them, a value the server accepts.
import { describe, expect, it } from 'vitest';
import { clientAddressSource } from '../../shared/config/clientAddressSource.js';
import { bicepBlock, bicepText, readRepoText } from './infraFiles.js';

const main = bicepText('infra/main.bicep');
const api = bicepText('infra/app/api.bicep');
const parameters = JSON.parse(readRepoText('infra/main.parameters.json') ?? '{}') as { parameters: Record<string, { value: unknown }> };

describe('FRONT_DOOR_ID', () => {
  it('is empty unless set, from the azd environment to the app module', () => {
    expect(parameters.parameters['frontDoorId']?.value).toBe('${FRONT_DOOR_ID}');
    expect(main).toMatch(/^param frontDoorId string = ''$/m);
    expect(api).toMatch(/^param frontDoorId string = ''$/m);
    expect(bicepBlock(main, 'module api ')).toMatch(/^ {4}frontDoorId: frontDoorId$/m);
  });

  it('restricts the site only when set: without it the site config is what it was', () => {
    const site = bicepBlock(api, 'module site ');
    expect(site).toMatch(/siteConfig: union\(\{[\s\S]*?\}, empty\(frontDoorId\) \? \{\} : frontDoorOnly\)/);
    expect(api.match(/frontDoorOnly/g)).toHaveLength(2);
  });

  it('lets only that profile in: Front Door\'s service tag and the profile\'s X-Azure-FDID, everything else denied', () => {
    const rule = bicepBlock(api, 'var frontDoorOnly ');
    expect(rule.match(/^ {4}\{$/gm), 'one rule').toHaveLength(1);
    expect(rule).toMatch(/^ {6}action: 'Allow'$/m);
    expect(rule).toMatch(/^ {6}tag: 'ServiceTag'$/m);
    expect(rule).toMatch(/^ {6}ipAddress: 'AzureFrontDoor\.Backend'$/m);
    expect(rule).toMatch(/headers: \{\s*'x-azure-fdid': \[\s*frontDoorId\s*\]\s*\}/);
    expect(rule).toMatch(/^ {2}ipSecurityRestrictionsDefaultAction: 'Deny'$/m);
    // The deployment endpoint keeps its own rules: azd deploys there with Entra ID.
    expect(rule).toMatch(/^ {2}scmIpSecurityRestrictionsUseMain: false$/m);
  });
});

describe('MCP_CLIENT_ADDRESS_SOURCE in infra/', () => {
  it('comes from the azd environment, and is written only when there is a value', () => {
    expect(parameters.parameters['clientAddressSource']?.value).toBe('${MCP_CLIENT_ADDRESS_SOURCE}');
    expect(bicepBlock(main, 'module api ')).toMatch(/^ {4}clientAddressSource: clientAddressSource$/m);
    expect(api).toMatch(/empty\(effectiveClientAddressSource\) \? \{\} : \{ MCP_CLIENT_ADDRESS_SOURCE: effectiveClientAddressSource \}/);
  });

  it('is front-door whenever a Front Door ID is set and nothing else is said, and the server accepts that value', () => {
    const effective = /^var effectiveClientAddressSource = (.+)$/m.exec(api)?.[1] ?? '';
    expect(effective).toBe("!empty(clientAddressSource) ? clientAddressSource : (empty(frontDoorId) ? '' : 'front-door')");
    const written = /'([a-z-]+)'\)$/.exec(effective)?.[1] ?? '';
    expect(clientAddressSource.parse(written)).toEqual({ forwardedForEntry: 2 });
  });
});
