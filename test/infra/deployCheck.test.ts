// Runs the requests of docs/deploy.md's "Check the deployment" against the local server, and holds them to the answers
// the guide says a deployment gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID } from '../../shared/config/devDefaults.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { readRepoText } from './infraFiles.js';

interface CurlRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const guide = readRepoText('docs/deploy.md') ?? '';
const section = (() => {
  const start = guide.indexOf('### Check the deployment');
  return start < 0 ? '' : guide.slice(start, guide.indexOf('\n#', start + 1));
})();
const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

/** Splits a command line as a POSIX shell would for these commands: words, single and double quotes, `$name` in double quotes. */
function shellWords(line: string, variables: Record<string, string>): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    const [, single, double, bare] = match;
    if (single !== undefined) words.push(single);
    else words.push((double ?? bare ?? '').replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? `$${name}`));
  }
  return words;
}

/** The request a `curl` line of the guide makes: -X, -H, -d and the URL; -s, -S and -i change only what is printed. */
function curlRequest(line: string, variables: Record<string, string>): CurlRequest {
  const [command, ...args] = shellWords(line, variables);
  expect(command).toBe('curl');
  let method = 'GET';
  let url = '';
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '-X') method = args[++index] ?? '';
    else if (arg === '-H') {
      const [name = '', ...value] = (args[++index] ?? '').split(':');
      headers[name.trim().toLowerCase()] = value.join(':').trim();
    } else if (arg === '-d') body = args[++index] ?? '';
    else if (/^-[sSi]+$/.test(arg)) continue;
    else if (arg.startsWith('-')) throw new Error(`the guide's curl uses ${arg}, which this test does not know`);
    else url = arg;
  }
  return { method, url, headers, ...(body !== undefined && { body }) };
}

let stack: TestStack;
let base: string;
let requests: CurlRequest[];

beforeAll(async () => {
  stack = await startTestStack();
  base = stack.mcpUrl.replace(/\/mcp$/, '');
  const lines = script.split('\n').map((line) => line.trim());
  expect(lines[0]).toBe('base=$(azd env get-value MCP_BASE_URL)');
  requests = lines.filter((line) => line.startsWith('curl ')).map((line) => curlRequest(line, { base }));
});

afterAll(async () => {
  await stack.close();
});

function send(request: CurlRequest): Promise<Response> {
  return fetch(request.url, { method: request.method, headers: request.headers, ...(request.body !== undefined && { body: request.body }) });
}

describe("docs/deploy.md's check after deploying", () => {
  it('is three requests: health, MCP without a token, protected resource metadata', () => {
    expect(requests.map((request) => `${request.method} ${request.url.slice(base.length)}`)).toEqual([
      'GET /healthz',
      'POST /mcp',
      'GET /.well-known/oauth-protected-resource/mcp',
    ]);
  });

  it('health answers ok, without a token', async () => {
    const response = await send(requests[0] as CurlRequest);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(section).toContain('`{"status":"ok","version":"…"}`');
  });

  it('an MCP request without a token gets 401 and exactly the WWW-Authenticate challenge the guide shows', async () => {
    const response = await send(requests[1] as CurlRequest);
    expect(response.status).toBe(401);
    expect(section).toContain('Status `401`');
    const shown = /`www-authenticate: ([^`]+)`/.exec(section)?.[1];
    expect(shown, 'the guide shows the challenge').toBeDefined();
    const expected = (shown ?? '').replaceAll('<base>', base).replaceAll('<SERVER_APP_ID>', DEV_CLIENT_ID);
    expect(response.headers.get('www-authenticate')).toBe(expected);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { data: { code: 'token_missing' } } });
    expect(section).toContain('`token_missing`');
  });

  it('the metadata names this resource, one authorization server and the scope', async () => {
    const response = await send(requests[2] as CurlRequest);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as { resource?: string; authorization_servers?: string[]; scopes_supported?: string[] };
    expect(metadata.resource).toBe(`${base}/mcp`);
    expect(metadata.authorization_servers).toHaveLength(1);
    expect(metadata.scopes_supported).toContain(`api://${DEV_CLIENT_ID}/access_as_user`);
    expect(section).toContain('`"resource": "<base>/mcp"`');
  });
});
