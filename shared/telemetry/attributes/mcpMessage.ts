// Reads what telemetry may say about a JSON-RPC body: a known MCP method, a tool we serve, a numeric request id.

// The methods the MCP semantic conventions list; anything else a client sends is `_OTHER`, so a caller cannot
// grow the set of span names or metric series.
const MCP_METHODS: ReadonlySet<string> = new Set([
  'completion/complete', 'elicitation/create', 'initialize', 'logging/setLevel', 'notifications/cancelled',
  'notifications/initialized', 'notifications/message', 'notifications/progress', 'notifications/prompts/list_changed',
  'notifications/resources/list_changed', 'notifications/resources/updated', 'notifications/roots/list_changed',
  'notifications/tools/list_changed', 'ping', 'prompts/get', 'prompts/list', 'resources/list', 'resources/read',
  'resources/subscribe', 'resources/templates/list', 'resources/unsubscribe', 'roots/list', 'sampling/createMessage',
  'tools/call', 'tools/list',
]);

/** The semantic conventions' fallback for a value outside the known set. */
export const OTHER = '_OTHER';

/** The tool names this server serves (the catalog); a name outside it is `_OTHER`. */
export interface KnownTools {
  has(name: string): boolean;
}

export interface McpMessageFacts {
  /** A known MCP method, `_OTHER`, or `batch` for a JSON-RPC batch. */
  readonly method: string;
  /** tools/call only: a tool we serve, or `_OTHER`. */
  readonly tool: string | undefined;
  /** Requests only (not notifications), and only a whole-number id: a string id is whatever the caller wrote. */
  readonly requestId: string | undefined;
  /** Messages in a JSON-RPC batch; 1 otherwise. */
  readonly batchSize: number;
}

/** A method the MCP conventions know, else `_OTHER`. */
export function mcpMethodName(method: unknown): string {
  return typeof method === 'string' && MCP_METHODS.has(method) ? method : OTHER;
}

/** A tool this server serves, else `_OTHER`. */
export function toolNameOf(name: unknown, tools: KnownTools): string {
  return typeof name === 'string' && tools.has(name) ? name : OTHER;
}

function requestIdOf(id: unknown): string | undefined {
  return typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : undefined;
}

/** What one JSON-RPC body says, bounded; a batch is described by its size alone. */
export function describeMcpMessage(body: unknown, tools: KnownTools): McpMessageFacts {
  if (Array.isArray(body)) return { method: 'batch', tool: undefined, requestId: undefined, batchSize: body.length };
  const message = (typeof body === 'object' && body !== null ? body : {}) as { method?: unknown; id?: unknown; params?: { name?: unknown } };
  const method = mcpMethodName(message.method);
  const tool = method === 'tools/call' ? toolNameOf(message.params?.name, tools) : undefined;
  return { method, tool, requestId: requestIdOf(message.id), batchSize: 1 };
}
