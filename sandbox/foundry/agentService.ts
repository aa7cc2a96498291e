// A local stand-in for Foundry Agent Service's OAuth identity passthrough, configured only from a Foundry connection's values.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { escapeHtml } from '../identity/pages.js';
import type { FoundryConnection } from './connection.js';
import { listToolsAsFoundry, ResponsesApiError } from './toolSchemas.js';

export interface ToolCall {
  readonly name: string;
  readonly arguments?: Record<string, unknown>;
}

/** Like the Responses API's: a user's request, or the continuation of one with `previousResponseId`. */
export interface ResponseRequest {
  /** Who talks to the agent: the key Foundry stores OAuth tokens under (with the connection). */
  readonly user: string;
  /** The tool call the agent wants to make; a continuation repeats the pending one when left out. */
  readonly tool?: ToolCall;
  readonly previousResponseId?: string;
}

export interface ConsentRequestItem {
  readonly type: 'oauth_consent_request';
  readonly id: string;
  readonly consent_link: string;
  readonly server_label: string;
}

export interface McpCallItem {
  readonly type: 'mcp_call';
  readonly id: string;
  readonly server_label: string;
  readonly name: string;
  /** JSON, as the Responses API gives it. */
  readonly arguments: string;
  readonly output: string | null;
  readonly error: string | null;
  /** The tool's structured result, when there is one. */
  readonly structured_content?: unknown;
}

export type OutputItem = ConsentRequestItem | McpCallItem;

export interface AgentResponse {
  readonly id: string;
  readonly output: readonly OutputItem[];
}

/** What happened, step by step, for the rehearsal to print and the tests to check. */
export type AgentEvent =
  | { readonly kind: 'consent_requested'; readonly user: string; readonly consentLink: string }
  | { readonly kind: 'consent_completed'; readonly user: string; readonly signedInAs: string; readonly upn: string }
  | { readonly kind: 'consent_refused'; readonly user: string; readonly error: string }
  | { readonly kind: 'token_refreshed'; readonly user: string }
  | { readonly kind: 'refresh_refused'; readonly user: string; readonly error: string }
  | { readonly kind: 'tool_called'; readonly user: string; readonly tool: string; readonly ok: boolean };

export interface AgentServiceOptions {
  readonly connection: FoundryConnection;
  /** 0 (default) picks a free port; the redirect URI is a loopback one, so any port is registered. */
  readonly port?: number;
  readonly serverLabel?: string;
  /** How the stand-in authenticates at the token endpoint (default client_secret_post). */
  readonly clientAuth?: 'client_secret_post' | 'client_secret_basic';
  /** The clock, in ms since the epoch: tests move it past an access token's expiry. */
  readonly now?: () => number;
  readonly onEvent?: (event: AgentEvent) => void;
}

export interface AgentService {
  /** `http://localhost:<port>` */
  readonly url: string;
  /** The redirect URL Foundry would show after saving the connection. */
  readonly redirectUri: string;
  readonly events: readonly AgentEvent[];
  createResponse(request: ResponseRequest): Promise<AgentResponse>;
  /** Settles when the sign-in behind a consent request came back: resolves once tokens are stored, rejects with the OAuth error. */
  waitForConsent(consentRequestId: string): Promise<void>;
  /** Whether tokens are stored for `user` on this connection. */
  hasTokens(user: string): boolean;
  close(): Promise<void>;
}

interface StoredTokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** ms since the epoch */
  expiresAt: number;
}

interface PendingConsent {
  readonly id: string;
  readonly user: string;
  readonly expiresAt: number;
  readonly waiters: { resolve: () => void; reject: (error: Error) => void }[];
  outcome?: { ok: true } | { ok: false; error: Error };
}

interface StoredResponse {
  readonly user: string;
  readonly tool: ToolCall;
}

// Foundry's consent links are short-lived credentials (about an hour).
const CONSENT_LINK_LIFETIME_MS = 3600_000;
// Refresh a little before expiry, so a call never goes out with a token about to lapse.
const REFRESH_MARGIN_MS = 60_000;

function id(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

class TokenEndpointError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(`${error}: ${description}`);
  }
}

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body></html>`;
}

/** Who a token the stand-in holds is for, for what it prints (it trusts the token endpoint that gave it). */
function tokenUser(accessToken: string): { name: string; upn: string } {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { name?: string; preferred_username?: string };
    return { name: payload.name ?? '?', upn: payload.preferred_username ?? '?' };
  } catch {
    return { name: '?', upn: '?' };
  }
}

export async function startAgentService(options: AgentServiceOptions): Promise<AgentService> {
  const { connection } = options;
  const now = options.now ?? Date.now;
  const label = options.serverLabel ?? 'onbehalf';
  const tokens = new Map<string, StoredTokens>();
  const consents = new Map<string, PendingConsent>();
  const states = new Map<string, string>();
  const responses = new Map<string, StoredResponse>();
  const events: AgentEvent[] = [];
  const emit = (event: AgentEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  let url = '';
  const redirectUri = () => `${url}/foundry/redirect`;

  const tokenRequest = async (endpoint: string, form: Record<string, string>): Promise<StoredTokens> => {
    const body = new URLSearchParams(form);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (options.clientAuth === 'client_secret_basic') {
      const encode = (value: string) => encodeURIComponent(value);
      headers['authorization'] = `Basic ${Buffer.from(`${encode(connection.clientId)}:${encode(connection.clientSecret)}`).toString('base64')}`;
    } else {
      body.set('client_id', connection.clientId);
      body.set('client_secret', connection.clientSecret);
    }
    const response = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
    const answer = await response.json().catch(() => ({})) as Record<string, unknown>;
    if (!response.ok || typeof answer['access_token'] !== 'string') {
      const text = (name: string) => (typeof answer[name] === 'string' ? answer[name] : undefined);
      throw new TokenEndpointError(text('error') ?? `http_${response.status}`, text('error_description') ?? '');
    }
    const expiresIn = Number(answer['expires_in'] ?? 3600);
    return {
      accessToken: answer['access_token'],
      refreshToken: typeof answer['refresh_token'] === 'string' ? answer['refresh_token'] : undefined,
      expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    };
  };

  /** The user's tokens, refreshed at the Refresh URL when expired; undefined when there are none or the refresh is refused. */
  const usableTokens = async (user: string, force = false): Promise<StoredTokens | undefined> => {
    const stored = tokens.get(user);
    if (stored === undefined) return undefined;
    if (!force && stored.expiresAt - REFRESH_MARGIN_MS > now()) return stored;
    if (stored.refreshToken === undefined) {
      tokens.delete(user);
      return undefined;
    }
    try {
      const refreshed = await tokenRequest(connection.refreshUrl, { grant_type: 'refresh_token', refresh_token: stored.refreshToken, scope: connection.scopes });
      const next = { ...refreshed, refreshToken: refreshed.refreshToken ?? stored.refreshToken };
      tokens.set(user, next);
      emit({ kind: 'token_refreshed', user });
      return next;
    } catch (error) {
      if (error instanceof TokenEndpointError && error.error === 'invalid_grant') {
        // The grant is gone (revoked, expired): the user must consent again.
        tokens.delete(user);
        emit({ kind: 'refresh_refused', user, error: error.message });
        return undefined;
      }
      throw error;
    }
  };

  const consentRequest = (responseId: string, user: string): AgentResponse => {
    const consent: PendingConsent = { id: id('oauthreq'), user, expiresAt: now() + CONSENT_LINK_LIFETIME_MS, waiters: [] };
    consents.set(consent.id, consent);
    const consentLink = `${url}/consent/login?data=${consent.id}`;
    emit({ kind: 'consent_requested', user, consentLink });
    return { id: responseId, output: [{ type: 'oauth_consent_request', id: consent.id, consent_link: consentLink, server_label: label }] };
  };

  /** One MCP tools/call with the user's token: the SDK's client over Streamable HTTP. */
  const callTool = async (accessToken: string, tool: ToolCall): Promise<{ status?: number; result?: CallToolResult; error?: string }> => {
    let refusal: { status: number; text: string } | undefined;
    const observe: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401 || response.status === 403) refusal = { status: response.status, text: await response.clone().text() };
      return response;
    };
    const client = new Client({ name: 'agent-service-stand-in', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(connection.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } }, fetch: observe });
    try {
      await client.connect(transport);
      await listToolsAsFoundry(client, label);
      return { result: await client.callTool({ name: tool.name, arguments: tool.arguments ?? {} }) as CallToolResult };
    } catch (error) {
      if (error instanceof ResponsesApiError) throw error;
      if (refusal !== undefined) {
        let code = '';
        try {
          code = String((JSON.parse(refusal.text) as { error?: { data?: { code?: string }; message?: string } }).error?.data?.code ?? '');
        } catch {
          // Not our JSON-RPC error body: the status says enough.
        }
        return { status: refusal.status, error: `HTTP ${refusal.status}${code === '' ? '' : ` ${code}`}: the MCP server refused the user's token` };
      }
      return { error: error instanceof Error ? error.message : String(error) };
    } finally {
      await client.close().catch(() => undefined);
    }
  };

  const createResponse = async (request: ResponseRequest): Promise<AgentResponse> => {
    let tool = request.tool;
    if (request.previousResponseId !== undefined) {
      const previous = responses.get(request.previousResponseId);
      if (previous?.user !== request.user) throw new Error(`previous_response_not_found: ${request.previousResponseId}`);
      tool ??= previous.tool;
    }
    if (tool === undefined) throw new Error('a response needs a tool call, or a previous response that had one');
    const responseId = id('resp');
    responses.set(responseId, { user: request.user, tool });

    let held = await usableTokens(request.user);
    if (held === undefined) return consentRequest(responseId, request.user);
    let call = await callTool(held.accessToken, tool);
    if (call.status === 401 && held.refreshToken !== undefined) {
      // The token may have been refused for its age: refresh once and try again.
      held = await usableTokens(request.user, true);
      if (held === undefined) return consentRequest(responseId, request.user);
      call = await callTool(held.accessToken, tool);
    }
    const text = call.result?.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n') ?? null;
    const failed = call.error !== undefined || call.result?.isError === true;
    emit({ kind: 'tool_called', user: request.user, tool: tool.name, ok: !failed });
    return {
      id: responseId,
      output: [{
        type: 'mcp_call',
        id: id('mcp'),
        server_label: label,
        name: tool.name,
        arguments: JSON.stringify(tool.arguments ?? {}),
        output: call.error === undefined ? text : null,
        error: call.error ?? (call.result?.isError === true ? text : null),
        ...(call.result?.structuredContent !== undefined && { structured_content: call.result.structuredContent }),
      }],
    };
  };

  const settle = (consent: PendingConsent, outcome: { ok: true } | { ok: false; error: Error }) => {
    consent.outcome = outcome;
    for (const waiter of consent.waiters.splice(0)) {
      if (outcome.ok) waiter.resolve();
      else waiter.reject(outcome.error);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestUrl = new URL(request.url ?? '/', url);
    const send = (status: number, title: string, text: string) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      response.end(page(title, text));
    };
    if (request.method !== 'GET') return send(405, 'Method not allowed', 'Only GET is served here.');
    if (requestUrl.pathname === '/consent/login') {
      const consent = consents.get(requestUrl.searchParams.get('data') ?? '');
      if (consent === undefined || consent.expiresAt <= now()) return send(410, 'Link expired', 'This consent link is unknown or expired. Ask the agent again to get a new one.');
      const state = randomBytes(24).toString('base64url');
      states.set(state, consent.id);
      const authorize = new URL(connection.authUrl);
      authorize.search = new URLSearchParams({
        client_id: connection.clientId,
        response_type: 'code',
        redirect_uri: redirectUri(),
        response_mode: 'query',
        scope: connection.scopes,
        state,
      }).toString();
      response.writeHead(302, { location: authorize.href, 'cache-control': 'no-store' });
      return void response.end();
    }
    if (requestUrl.pathname === '/foundry/redirect') {
      const state = requestUrl.searchParams.get('state') ?? '';
      const consent = consents.get(states.get(state) ?? '');
      // A state is good for one answer: a replayed or forged redirect finds nothing.
      states.delete(state);
      if (consent === undefined) return send(400, 'Unknown sign-in', 'This answer does not belong to a sign-in started here.');
      const error = requestUrl.searchParams.get('error');
      if (error !== null) {
        const failure = new TokenEndpointError(error, requestUrl.searchParams.get('error_description') ?? '');
        emit({ kind: 'consent_refused', user: consent.user, error: failure.message });
        settle(consent, { ok: false, error: failure });
        return send(400, 'Not connected', `The sign-in ended with ${error}. Ask the agent again to get a new link.`);
      }
      try {
        const obtained = await tokenRequest(connection.tokenUrl, { grant_type: 'authorization_code', code: requestUrl.searchParams.get('code') ?? '', redirect_uri: redirectUri(), scope: connection.scopes });
        tokens.set(consent.user, obtained);
        const who = tokenUser(obtained.accessToken);
        emit({ kind: 'consent_completed', user: consent.user, signedInAs: `${who.name} <${who.upn}>`, upn: who.upn });
        settle(consent, { ok: true });
        return send(200, 'Connected', 'You can close this window and go back to the conversation.');
      } catch (failure) {
        const asError = failure instanceof Error ? failure : new Error(String(failure));
        emit({ kind: 'consent_refused', user: consent.user, error: asError.message });
        settle(consent, { ok: false, error: asError });
        return send(502, 'Not connected', `The token endpoint refused the code: ${asError.message}`);
      }
    }
    send(404, 'Not found', 'Nothing here.');
  };

  const servers: Server[] = [];
  const listen = (host: string, port: number) => new Promise<Server>((resolve, reject) => {
    const server = createServer((request, response) => {
      void handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
  const first = await listen('127.0.0.1', options.port ?? 0);
  servers.push(first);
  const port = (first.address() as AddressInfo).port;
  // `localhost` may resolve to ::1 first; answer there too where the machine has IPv6.
  await listen('::1', port).then((server) => servers.push(server), () => undefined);
  url = `http://localhost:${port}`;

  return {
    url,
    redirectUri: redirectUri(),
    events,
    createResponse,
    waitForConsent: (consentId) => new Promise<void>((resolve, reject) => {
      const consent = consents.get(consentId);
      if (consent === undefined) return reject(new Error(`unknown consent request ${consentId}`));
      if (consent.outcome !== undefined) return consent.outcome.ok ? resolve() : reject(consent.outcome.error);
      consent.waiters.push({ resolve, reject });
    }),
    hasTokens: (user) => tokens.has(user),
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })));
    },
  };
}
