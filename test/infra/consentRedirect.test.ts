// The server app registers the reply address its admin consent links name, so consent never ends on AADSTS900971.
import { describe, expect, it } from 'vitest';
import { CONSENT_REDIRECT_PATH } from '../../shared/auth/adminConsentUrl.js';
import { bicepBlock, bicepText } from './infraFiles.js';

const main = bicepText('infra/main.bicep');
const entra = bicepText('infra/app/entra.bicep');
const api = bicepText('infra/app/api.bicep');

describe('the admin consent reply address', () => {
  it('is the public URL plus the path the server builds its consent links with', () => {
    expect(main).toContain(`var consentRedirectUri = '\${expectedPublicUrl}${CONSENT_REDIRECT_PATH}'`);
    expect(bicepBlock(main, 'module entra ')).toMatch(/consentRedirectUri: consentRedirectUri/);
  });

  it('uses the public URL the server is given: the override, trimmed as api.bicep trims it, or the default host name', () => {
    const trim = "endsWith(publicUrl, '/') ? substring(publicUrl, 0, length(publicUrl) - 1) : publicUrl";
    expect(main).toContain(`var trimmedPublicUrl = ${trim}`);
    expect(api).toContain(`var trimmedOverride = ${trim.replaceAll('publicUrl', 'publicUrlOverride')}`);
    expect(main).toMatch(/var expectedPublicUrl = !empty\(trimmedPublicUrl\) \? trimmedPublicUrl : 'https:\/\/\$\{functionAppName\}\.azurewebsites\.net'/);
    expect(bicepBlock(main, 'module api ')).toMatch(/name: functionAppName/);
    expect(bicepBlock(main, 'module api ')).toMatch(/publicUrlOverride: publicUrl/);
  });

  it('is registered on both declarations of the server app, as its only reply address, with no implicit grant', () => {
    expect(bicepBlock(entra, 'var serverWeb ')).toMatch(/redirectUris: \[\s*consentRedirectUri\s*\]/);
    expect(bicepBlock(entra, 'var serverWeb ')).toMatch(/enableAccessTokenIssuance: false[\s\S]*enableIdTokenIssuance: false/);
    for (const declaration of ["resource serverApp '", "resource serverAppUpdate '"]) {
      expect(bicepBlock(entra, declaration)).toMatch(/web: serverWeb/);
    }
  });

  it('is named by the ADMIN_CONSENT_URL output too', () => {
    expect(main).toMatch(/output ADMIN_CONSENT_URL string = '[^']*\/adminconsent\?client_id=\$\{entra\.outputs\.serverAppId\}&redirect_uri=\$\{uriComponent\(consentRedirectUri\)\}'/);
  });
});
