// A stand-in for App Service's managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER), on http loopback.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdentityProvider } from '../../sandbox/identityProvider.js';

export interface ManagedIdentityRequest {
  readonly resource: string | null;
  readonly clientId: string | null;
  readonly apiVersion: string | null;
}

export interface ManagedIdentityEndpoint {
  /** The value of IDENTITY_ENDPOINT. */
  readonly url: string;
  /** The value of IDENTITY_HEADER, which every request must echo in X-IDENTITY-HEADER. */
  readonly secretHeader: string;
  readonly requests: ManagedIdentityRequest[];
  close(): Promise<void>;
}

export interface ManagedIdentityOptions {
  /** Signs the tokens, as Entra signs a managed identity's. */
  readonly idp: IdentityProvider;
  readonly tenantId: string;
  /** The user-assigned identity: its client id (asked for) and principal id (the token's subject). */
  readonly clientId: string;
  readonly principalId: string;
}

/** Answers like App Service (API 2019-08-01): a token for `resource`, for the one user-assigned identity it knows. */
export async function startManagedIdentityEndpoint(options: ManagedIdentityOptions): Promise<ManagedIdentityEndpoint> {
  const secretHeader = randomUUID();
  const requests: ManagedIdentityRequest[] = [];
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const asked = { resource: url.searchParams.get('resource'), clientId: url.searchParams.get('client_id'), apiVersion: url.searchParams.get('api-version') };
    requests.push(asked);
    if (request.headers['x-identity-header'] !== secretHeader) return send(response, 401, { error: 'unauthorized' });
    if (asked.clientId !== options.clientId || asked.resource === null) return send(response, 400, { error: 'invalid_request' });
    const now = Math.floor(Date.now() / 1000);
    const expiresOn = now + 3600;
    const accessToken = await options.idp.sign({
      aud: asked.resource, iss: options.idp.issuer(options.tenantId), iat: now, nbf: now, exp: expiresOn,
      sub: options.principalId, oid: options.principalId, tid: options.tenantId, appid: options.clientId, idtyp: 'app', uti: randomUUID(),
    });
    return send(response, 200, { access_token: accessToken, expires_on: String(expiresOn), resource: asked.resource, token_type: 'Bearer', client_id: options.clientId });
  };
  const server = createServer((request, response) => {
    void handle(request, response).catch(() => send(response, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/msi/token`,
    secretHeader,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
