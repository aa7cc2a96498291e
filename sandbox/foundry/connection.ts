// The values of a Foundry MCP connection with custom OAuth, as `npm run foundry:config -- --json` prints them.

export interface FoundryConnection {
  readonly mcpUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly refreshUrl: string;
  /** Space-separated, as typed into the Scopes field. */
  readonly scopes: string;
}

/** Foundry's form labels, which are also the keys of `foundry:config --json`. */
const LABELS = {
  mcpUrl: 'MCP server endpoint',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  authUrl: 'Auth URL',
  tokenUrl: 'Token URL',
  refreshUrl: 'Refresh URL',
  scopes: 'Scopes',
} as const satisfies Record<keyof FoundryConnection, string>;

/** Reads a connection from `foundry:config --json` output; throws naming the field that is missing. */
export function connectionFromConfig(printed: unknown): FoundryConnection {
  const values = (typeof printed === 'object' && printed !== null ? printed : {}) as Record<string, unknown>;
  const read = (field: keyof FoundryConnection): string => {
    const value = values[LABELS[field]];
    if (typeof value !== 'string' || value === '') throw new Error(`the connection has no "${LABELS[field]}"`);
    return value;
  };
  return {
    mcpUrl: read('mcpUrl'),
    clientId: read('clientId'),
    clientSecret: read('clientSecret'),
    authUrl: read('authUrl'),
    tokenUrl: read('tokenUrl'),
    refreshUrl: read('refreshUrl'),
    scopes: read('scopes'),
  };
}
