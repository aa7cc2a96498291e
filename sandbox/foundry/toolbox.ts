// A local stand-in for a Foundry toolbox whose one tool source is the MCP server behind an OAuth identity passthrough connection.
//
// What it does is what the live-tested sources say the toolbox does (Agent Framework PRs 6718 and 7229, issues
// 6562 and 7658; the Azure skills' toolbox reference as corrected from live testing in July 2026):
// - its MCP endpoint is `{project endpoint}/toolboxes/{name}/mcp?api-version=v1` (400 without the api-version),
//   stateless, and takes a bearer token for `https://ai.azure.com/.default` (the agent's identity), nothing else;
// - the platform tells it which user a call is for: the container forwards the turn's `x-agent-foundry-call-id`;
// - tools of an MCP source are listed as `{server_label}___{tool}` (three underscores: the live-tested name; older
//   pages say `{server_label}.{tool}`), with `_meta.tool_configuration`; prompts are not served;
// - until that user has consented, `initialize`, `tools/list` and `tools/call` fail with JSON-RPC -32006, whose
//   message is `… failed for 1 tool source(s), succeeded for 0 tool source(s) {"errors":[{"name":…,"type":"mcp",
//   "error":{"code":"CONSENT_REQUIRED","message":"<consent URL>"}}]}` (the JSON rides in the message, not in `data`);
// - after consent it calls the MCP server with the user's token from the connection and refreshes it itself; a
//   source that refuses the token after that fails as -32007 with the nested code `HTTP_<status>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, InitializeRequestSchema, LATEST_PROTOCOL_VERSION, ListToolsRequestSchema, SUPPORTED_PROTOCOL_VERSIONS, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { FOUNDRY_AUDIENCE } from '../identity/agentIdentity.js';
import type { FoundryConnection } from './connection.js';
import { listenOnLocalhost } from './localhostServer.js';
import { withUpstream, type UpstreamOutcome } from './mcpUpstream.js';
import { createPassthrough, sendPage, type PassthroughEvent } from './passthrough.js';
import { CALL_ID_HEADER, type Turns } from './turns.js';

/** Between the source's label and the tool's name in the toolbox's tool names. */
export const TOOL_NAME_SEPARATOR = '___';
export const CONSENT_REQUIRED_CODE = -32006;
export const SOURCE_FAILED_CODE = -32007;
// Tools only: the live toolbox serves no prompts (prompts/list fails there), and neither does this one.
const CAPABILITIES = { tools: {} };
const SERVER_INFO = { name: 'foundry-toolbox-stand-in', version: '1.0.0' };

export interface ToolboxOptions {
  readonly connection: FoundryConnection;
  /** The project's tenant: its users only, and tokens from its authority only. */
  readonly projectTenantId: string;
  /** Who the platform says each call is for. */
  readonly turns: Turns;
  readonly project?: string;
  readonly toolbox?: string;
  /** The MCP tool's `server_label` in the toolbox. */
  readonly serverLabel?: string;
  readonly port?: number;
  readonly now?: () => number;
  readonly refresh?: 'early' | 'when-refused';
  readonly onEvent?: (event: PassthroughEvent) => void;
}

export interface Toolbox {
  /** The toolbox's MCP endpoint, `?api-version=v1` included. */
  readonly mcpUrl: string;
  /** The connection's redirect URL (what `properties.redirectUrl` of the connection holds). */
  readonly redirectUri: string;
  readonly serverLabel: string;
  readonly events: readonly PassthroughEvent[];
  readonly waitForConsent: (consentRequestId: string) => Promise<void>;
  readonly hasTokens: (user: string) => boolean;
  readonly close: () => Promise<void>;
}

/** A JSON-RPC error the SDK's server answers with as it is: `code` and `message` are taken from the thrown error. */
function rpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function sendJsonError(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ error: { code, message } }));
}

export async function startToolbox(options: ToolboxOptions): Promise<Toolbox> {
  const { connection, turns } = options;
  const now = options.now ?? Date.now;
  const label = options.serverLabel ?? 'onbehalf';
  const projectTenant = options.projectTenantId.toLowerCase();
  const path = `/api/projects/${options.project ?? 'dev'}/toolboxes/${options.toolbox ?? 'onbehalf-tools'}/mcp`;
  const authority = new URL(connection.authUrl).origin;
  const keys = createRemoteJWKSet(new URL(`${authority}/${projectTenant}/discovery/v2.0/keys`));
  const events: PassthroughEvent[] = [];
  const emit = (event: PassthroughEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  let url = '';
  const passthrough = createPassthrough({
    connection,
    projectTenantId: projectTenant,
    origin: () => url,
    now,
    emit,
    ...(options.refresh !== undefined && { refresh: options.refresh }),
  });

  /** Every per-source failure has this shape: a summary, then the sources' errors as JSON. */
  const sourceFailure = (method: string, code: string, message: string): Error => {
    const payload = { errors: [{ name: label, type: 'mcp', error: { code, message } }] };
    return rpcError(code === 'CONSENT_REQUIRED' ? CONSENT_REQUIRED_CODE : SOURCE_FAILED_CODE, `${method} failed for 1 tool source(s), succeeded for 0 tool source(s) ${JSON.stringify(payload)}`);
  };
  const consentRequired = (method: string, user: string) => sourceFailure(method, 'CONSENT_REQUIRED', passthrough.consentLink(user).link);

  /** Runs `use` against the MCP server as `user`: their token, refreshed when due or refused; their consent link when there is none. */
  const asUser = async <T>(method: string, user: string, use: Parameters<typeof withUpstream<T>>[2]): Promise<T> => {
    const outcome: UpstreamOutcome<T> | 'consent_required' = await passthrough.withUserToken(user, (accessToken) => withUpstream(connection.mcpUrl, accessToken, use));
    if (outcome === 'consent_required') throw consentRequired(method, user);
    if (outcome.value !== undefined) return outcome.value;
    if (outcome.status !== undefined) throw sourceFailure(method, `HTTP_${outcome.status}`, `${outcome.refusal ?? ''}: the MCP server refused the user's token`);
    throw sourceFailure(method, 'SOURCE_UNAVAILABLE', outcome.error ?? 'the MCP server did not answer');
  };

  const mcpServer = (user: string): Server => {
    const server = new Server(SERVER_INFO, { capabilities: CAPABILITIES });
    // The SDK's own answer to initialize, once the toolbox has found a grant for the user (it connects its sources there).
    server.setRequestHandler(InitializeRequestSchema, async (request) => {
      if (await passthrough.tokens(user) === undefined) throw consentRequired('initialize', user);
      const requested = request.params.protocolVersion;
      return {
        protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
        capabilities: CAPABILITIES,
        serverInfo: SERVER_INFO,
      };
    });
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      const listed = await asUser('tools/list', user, (client) => client.listTools());
      const tools: Tool[] = listed.tools.map((tool) => ({
        ...tool,
        name: `${label}${TOOL_NAME_SEPARATOR}${tool.name}`,
        _meta: { ...tool._meta, tool_configuration: { type: 'mcp', server_label: label, server_url: connection.mcpUrl, require_approval: 'never' } },
      }));
      return { tools };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const prefix = `${label}${TOOL_NAME_SEPARATOR}`;
      if (!request.params.name.startsWith(prefix)) throw rpcError(-32602, `Tool ${request.params.name} not found: tools of the MCP source are named ${prefix}<tool>`);
      const name = request.params.name.slice(prefix.length);
      const result = await asUser('tools/call', user, async (client) => await client.callTool({ name, arguments: request.params.arguments ?? {} }) as CallToolResult);
      emit({ kind: 'tool_called', user, tool: name, ok: result.isError !== true });
      return result;
    });
    return server;
  };

  /** The agent's token for Foundry; undefined (and a 401 sent) when it is not one. */
  const caller = async (request: IncomingMessage, response: ServerResponse): Promise<JWTPayload | undefined> => {
    const token = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    try {
      if (token === undefined) throw new Error('no bearer token');
      const { payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], audience: FOUNDRY_AUDIENCE, issuer: `${authority}/${projectTenant}/v2.0` });
      return payload;
    } catch {
      sendJsonError(response, 401, 'PermissionDenied', `A bearer token for ${FOUNDRY_AUDIENCE}/.default issued in the project's tenant is required.`, { 'www-authenticate': 'Bearer' });
      return undefined;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestUrl = new URL(request.url ?? '/', url);
    if (request.method === 'GET' && await passthrough.handle(requestUrl, response)) return;
    if (requestUrl.pathname !== path) return sendPage(response, 404, 'Not found', 'Nothing here.');
    if (requestUrl.searchParams.get('api-version') !== 'v1') return sendJsonError(response, 400, 'BadRequest', 'The api-version query parameter is required: ?api-version=v1');
    // Stateless: no session, no stream to open.
    if (request.method !== 'POST') return sendJsonError(response, 405, 'MethodNotAllowed', 'The toolbox MCP endpoint takes POST.', { allow: 'POST' });
    const identity = await caller(request, response);
    if (identity === undefined) return;
    const callId = request.headers[CALL_ID_HEADER];
    let user: string;
    if (typeof callId === 'string') {
      const known = turns.userOf(callId);
      // Undocumented: what Foundry answers a call id it never gave, or one whose turn is over. A refusal, here.
      if (known === undefined) return sendJsonError(response, 403, 'InvalidCallId', `${CALL_ID_HEADER} names no current turn.`);
      user = known;
    } else {
      // Without a call id the toolbox knows no user but the caller: consent would be bound to the agent's own
      // identity, as the live reports of containers that did not forward it describe.
      user = `identity:${String(identity.oid)}`;
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = mcpServer(user);
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  };

  const server = await listenOnLocalhost(options.port ?? 0, handle);
  url = server.url;
  return {
    mcpUrl: `${url}${path}?api-version=v1`,
    redirectUri: passthrough.redirectUri,
    serverLabel: label,
    events,
    waitForConsent: passthrough.waitForConsent,
    hasTokens: passthrough.hasTokens,
    close: server.close,
  };
}
