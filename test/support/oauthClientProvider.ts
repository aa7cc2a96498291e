// An OAuthClientProvider for the MCP SDK's own OAuth flow: a pre-registered client, tokens kept in memory, the sign-in URL kept for the test.
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface PreRegisteredClientOptions {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** A loopback URL nobody serves: the test reads the code off the redirect. */
  readonly redirectUrl: string;
  /**
   * Leave out the RFC 8707 `resource` parameter, as clients must for Entra v2 when the MCP URL is not
   * an App ID URI of the server's registration (AADSTS9010010).
   */
  readonly omitResource?: boolean;
}

export class PreRegisteredClient implements OAuthClientProvider {
  /** Where the SDK sent the user to sign in. */
  authorizationUrl: URL | undefined;
  private savedTokens: OAuthTokens | undefined;
  private verifier = '';
  private lastState = '';
  readonly validateResourceURL?: () => Promise<undefined>;

  constructor(private readonly options: PreRegisteredClientOptions) {
    if (options.omitResource === true) this.validateResourceURL = async () => undefined;
  }

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'onbehalf tests',
      redirect_uris: [this.options.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.options.clientSecret === undefined ? 'none' : 'client_secret_post',
    };
  }

  /** The state of the last authorization request. */
  get expectedState(): string {
    return this.lastState;
  }

  state(): string {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }

  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.options.clientId, ...(this.options.clientSecret !== undefined && { client_secret: this.options.clientSecret }) };
  }

  tokens(): OAuthTokens | undefined {
    return this.savedTokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.savedTokens = tokens;
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.authorizationUrl = authorizationUrl;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}
