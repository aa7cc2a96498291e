// Requests whose params the SDK's own schemas refuse, answered with JSON-RPC -32602 and a short message
// instead of the SDK's -32603 carrying a dump of every schema issue.
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  type JSONRPCErrorResponse,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestMessage } from './jsonRpcMessages.js';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

interface RequestSchema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly Issue[] } };
}

/** The requests this server's SDK handlers take, by method; the SDK answers any other method -32601. */
const SCHEMAS: ReadonlyMap<string, RequestSchema> = new Map<string, RequestSchema>([
  ['initialize', InitializeRequestSchema],
  ['ping', PingRequestSchema],
  ['tools/list', ListToolsRequestSchema],
  ['tools/call', CallToolRequestSchema],
]);

const SHOWN_ISSUES = 3;
const MAX_SEGMENT = 40;
const MAX_MESSAGE = 120;

/** Schema issues in one line: at most three, each `path: message`, cut short (paths and messages may echo client keys). */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const where = issue.path.map((segment) => String(segment).slice(0, MAX_SEGMENT)).join('.');
    const what = issue.message.slice(0, MAX_MESSAGE);
    return where === '' ? what : `${where}: ${what}`;
  });
  const more = issues.length > SHOWN_ISSUES ? ` (and ${issues.length - SHOWN_ISSUES} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** The -32602 answer a request earns when its params do not match its method's schema; undefined when they do. */
export function invalidParams(request: RequestMessage): JSONRPCErrorResponse | undefined {
  const parsed = SCHEMAS.get(request.method)?.safeParse(request);
  if (parsed === undefined || parsed.success) return undefined;
  return {
    jsonrpc: '2.0',
    id: request.id,
    error: { code: ErrorCode.InvalidParams, message: `Invalid params for ${request.method}: ${describeIssues(parsed.error.issues)}`, data: { code: 'input_invalid' } },
  };
}
