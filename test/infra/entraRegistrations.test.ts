// The app registrations in infra/app/entra.bicep: the server app's two declarations agree.
import { describe, expect, it } from 'vitest';
import { bicepBlock, bicepText } from './infraFiles.js';

const entra = bicepText('infra/app/entra.bicep');

/** The one-line `key: value` properties at the top level of a declaration (two spaces in), not those that open a block. */
function topLevelProperties(block: string): Map<string, string> {
  return new Map([...block.matchAll(/^ {2}(\w+): (.+)$/gm)]
    .map((match): [string, string] => [match[1] ?? '', (match[2] ?? '').trim()])
    .filter(([, value]) => value !== '{' && value !== '['));
}

describe('the server app, declared twice with one uniqueName', () => {
  const first = bicepBlock(entra, 'resource serverApp ');
  const second = bicepBlock(entra, 'resource serverAppUpdate ');

  it('gives the second declaration every one-line property of the first, with the same value, so one provision never flips the app between two states', () => {
    const own = topLevelProperties(first);
    const again = topLevelProperties(second);
    expect([...own.keys()]).toEqual(expect.arrayContaining(['uniqueName', 'displayName', 'signInAudience', 'serviceManagementReference', 'web', 'requiredResourceAccess']));
    for (const [key, value] of own) expect(again.get(key), key).toBe(value);
  });

  it('declares the same scope and token version in both, and the App ID URI and pre-authorizations in the second, once the app id exists', () => {
    for (const block of [first, second]) {
      expect(block).toMatch(/requestedAccessTokenVersion: 2/);
      expect(block).toMatch(/oauth2PermissionScopes: \[\s*accessAsUser\s*\]/);
    }
    expect(second).toMatch(/identifierUris: \[\s*'api:\/\/\$\{serverApp\.appId\}'\s*\]/);
    expect(second).toMatch(/preAuthorizedApplications:/);
    expect(first).not.toMatch(/identifierUris|preAuthorizedApplications/);
  });
});
