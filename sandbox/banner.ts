// What `npm start` prints once the local host answers: where to connect, and with which token.

export interface BannerOptions {
  readonly port: number;
  readonly devMode: boolean;
  readonly tables: string;
  readonly tokens: readonly { user: string; token: string }[];
  readonly authorityHost: string;
}

export function printBanner(options: BannerOptions): void {
  const url = `http://localhost:${options.port}/mcp`;
  const lines = [
    '',
    `onbehalf is listening on ${url}`,
    `  Table Storage: ${options.tables}`,
  ];
  const first = options.tokens[0];
  if (options.devMode && first !== undefined) {
    lines.push(
      '  Dev mode: local identity provider and sample users. Nothing here reaches Entra or Microsoft Graph.',
      '',
      `Token for ${first.user} (valid 12 h):`,
      first.token,
      '',
      'Connect MCP Inspector (needs Node 22.19+):',
      `  npx @modelcontextprotocol/inspector --transport http --server-url ${url} --header "Authorization: Bearer ${first.token}"`,
      '',
      'Tokens for the other sample users:',
      ...options.tokens.slice(1).map(({ user }) => `  ${user}`),
      `  curl -sk "${options.authorityHost}/dev/token?user=alex"   (users: adele, alex, megan)`,
    );
  } else {
    lines.push('  Entra settings found: callers need real tokens for this API.');
  }
  lines.push('', 'Stop with Ctrl+C.', '');
  console.log(lines.join('\n'));
}
