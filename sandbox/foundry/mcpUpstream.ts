// One exchange with the MCP server as a user, by the SDK's client over Streamable HTTP: the result, or the HTTP refusal it met.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface UpstreamOutcome<T> {
  readonly value?: T;
  /** 401 or 403 from the server: the token was refused. */
  readonly status?: number;
  /** `HTTP 401 token_expired`: the status and the code of the server's JSON-RPC error body, when there is one. */
  readonly refusal?: string;
  readonly error?: string;
}

/** Connects with `accessToken`, runs `use`, closes; never throws. */
export async function withUpstream<T>(mcpUrl: string, accessToken: string, use: (client: Client) => Promise<T>, clientName = 'foundry-toolbox-stand-in'): Promise<UpstreamOutcome<T>> {
  let refused: { status: number; text: string } | undefined;
  const observe: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status === 401 || response.status === 403) refused = { status: response.status, text: await response.clone().text() };
    return response;
  };
  const client = new Client({ name: clientName, version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } }, fetch: observe });
  try {
    await client.connect(transport);
    return { value: await use(client) };
  } catch (error) {
    if (refused !== undefined) {
      let code = '';
      try {
        code = String((JSON.parse(refused.text) as { error?: { data?: { code?: string } } }).error?.data?.code ?? '');
      } catch {
        // Not our JSON-RPC error body: the status says enough.
      }
      return { status: refused.status, refusal: `HTTP ${refused.status}${code === '' ? '' : ` ${code}`}` };
    }
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close().catch(() => undefined);
  }
}
