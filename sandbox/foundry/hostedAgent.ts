// A hosted agent's container using a Foundry toolbox, as Agent Framework's FoundryToolbox does it: the SDK's MCP client, the agent's token, the turn's call id.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FOUNDRY_AUDIENCE } from '../identity/agentIdentity.js';
import type { ConsentRequestItem, McpCallItem, ToolCall } from './agentService.js';
import { opaqueId } from './passthrough.js';
import { CONSENT_REQUIRED_CODE, TOOL_NAME_SEPARATOR } from './toolbox.js';
import { CALL_ID_HEADER, type Turn } from './turns.js';

export interface HostedAgentOptions {
  /** `TOOLBOX_ENDPOINT`: the toolbox's MCP endpoint. */
  readonly toolboxMcpUrl: string;
  /** The platform's identity endpoint: tokens of the agent's identity (App Service's managed identity API shape). */
  readonly identityEndpoint: string;
  /** The MCP tool's `server_label` in the toolbox. */
  readonly serverLabel: string;
}

/** A tool the model chose, in the container's own words (the source's tool name, without the toolbox prefix). */
export interface HostedTurn {
  /** The headers the platform put on the request that started this turn. */
  readonly turn: Turn;
  readonly tool: ToolCall;
}

/** The agent identity's token for Foundry, asked for on every call, as the Agent Framework's toolbox client does. */
async function agentToken(identityEndpoint: string): Promise<string> {
  const url = new URL(identityEndpoint);
  url.searchParams.set('resource', FOUNDRY_AUDIENCE);
  url.searchParams.set('api-version', '2019-08-01');
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const answer = await response.json().catch(() => ({})) as { access_token?: unknown };
  if (!response.ok || typeof answer.access_token !== 'string') throw new Error(`the identity endpoint answered ${response.status}`);
  return answer.access_token;
}

/**
 * The consent link in a toolbox's -32006 error: the sources' errors ride as JSON after a summary in the message, so
 * it is read from the first `{` (what Agent Framework's parsers do), whatever the source's type.
 */
export function consentLinkOf(error: unknown): string | undefined {
  if (!(error instanceof McpError) || error.code !== CONSENT_REQUIRED_CODE) return undefined;
  const start = error.message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const payload = JSON.parse(error.message.slice(start)) as { errors?: { error?: { code?: unknown; message?: unknown } }[] };
    const link = payload.errors?.find((source) => source.error?.code === 'CONSENT_REQUIRED')?.error?.message;
    return typeof link === 'string' ? link : undefined;
  } catch {
    return undefined;
  }
}

/** One tool call of one turn: the call's result, or the consent request the agent surfaces to its user. */
export async function runHostedTurn(options: HostedAgentOptions, request: HostedTurn): Promise<ConsentRequestItem | McpCallItem> {
  const name = `${options.serverLabel}${TOOL_NAME_SEPARATOR}${request.tool.name}`;
  const item = (output: string | null, error: string | null, structured?: unknown): McpCallItem => ({
    type: 'mcp_call',
    id: opaqueId('mcp'),
    server_label: options.serverLabel,
    name: request.tool.name,
    arguments: JSON.stringify(request.tool.arguments ?? {}),
    output,
    error,
    ...(structured !== undefined && { structured_content: structured }),
  });
  const client = new Client({ name: 'hosted-agent-stand-in', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(options.toolboxMcpUrl), {
    requestInit: { headers: { authorization: `Bearer ${await agentToken(options.identityEndpoint)}`, [CALL_ID_HEADER]: request.turn[CALL_ID_HEADER] } },
  });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    if (!tools.some((tool) => tool.name === name)) return item(null, `the toolbox lists no ${name}`);
    const result = await client.callTool({ name, arguments: request.tool.arguments ?? {} }) as CallToolResult;
    const text = result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
    return result.isError === true ? item(null, text) : item(text, null, result.structuredContent);
  } catch (error) {
    const link = consentLinkOf(error);
    if (link !== undefined) {
      return { type: 'oauth_consent_request', id: new URL(link).searchParams.get('data') ?? opaqueId('oauthreq'), consent_link: link, server_label: options.serverLabel };
    }
    return item(null, error instanceof Error ? error.message : String(error));
  } finally {
    await client.close().catch(() => undefined);
  }
}
