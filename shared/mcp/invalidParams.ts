// Requests whose params the SDK's own schemas refuse, answered with JSON-RPC -32602 and a short message
// instead of the SDK's own answer carrying a dump of every schema issue.
import { ProtocolErrorCode, specTypeSchemas, type JSONRPCErrorResponse, type StandardSchemaV1Sync } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { isObject, type Era, type RequestMessage } from './jsonRpcMessages.js';

type Schema = StandardSchemaV1Sync<unknown, unknown>;

/**
 * The requests this server's handlers take in each era, by method; the SDK answers any other method -32601
 * (2026-07-28 removed `initialize` and `ping`, and only it has `server/discover`).
 */
const SCHEMAS: Readonly<Record<Era, ReadonlyMap<string, Schema>>> = {
  legacy: new Map<string, Schema>([
    ['initialize', specTypeSchemas.InitializeRequest],
    ['ping', specTypeSchemas.PingRequest],
    ['tools/list', specTypeSchemas.ListToolsRequest],
    ['tools/call', specTypeSchemas.CallToolRequest],
  ]),
  modern: new Map<string, Schema>([
    ['server/discover', specTypeSchemas.DiscoverRequest],
    ['tools/list', specTypeSchemas.ListToolsRequest],
    ['tools/call', specTypeSchemas.CallToolRequest],
  ]),
};

/**
 * The multi-round fields of a 2026-07-28 tools/call, which the SDK lifts off unread: the answers are a map of
 * objects (each the client's bare result for one input request) and the state a string. A null map or a number
 * for an answer is a malformed request, not an answer to ask again for.
 */
const ROUND_FIELDS = z.object({
  params: z.object({
    inputResponses: z.record(z.string(), z.looseObject({})).optional(),
    requestState: z.string().optional(),
  }),
});

/** Whether a tools/call names either multi-round field (present, whatever its value): most calls are first rounds, with neither. */
function bringsRound(request: RequestMessage): boolean {
  const { params } = request;
  return isObject(params) && (Object.hasOwn(params, 'inputResponses') || Object.hasOwn(params, 'requestState'));
}

const SHOWN_ISSUES = 3;
const MAX_SEGMENT = 40;
const MAX_MESSAGE = 120;

/** A schema issue, as zod and Standard Schema report it. */
interface Issue {
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
  readonly message: string;
}

const segment = (part: PropertyKey | { readonly key: PropertyKey }) => String(typeof part === 'object' ? part.key : part).slice(0, MAX_SEGMENT);

/** Schema issues in one line: at most three, each `path: message`, cut short (paths and messages may echo client keys). */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const where = (issue.path ?? []).map(segment).join('.');
    const what = issue.message.slice(0, MAX_MESSAGE);
    return where === '' ? what : `${where}: ${what}`;
  });
  const more = issues.length > SHOWN_ISSUES ? ` (and ${issues.length - SHOWN_ISSUES} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** The -32602 answer a request of `era` earns when its params do not match its method's schema; undefined when they do. */
export function invalidParams(request: RequestMessage, era: Era): JSONRPCErrorResponse | undefined {
  let issues: readonly Issue[] | undefined = SCHEMAS[era].get(request.method)?.['~standard'].validate(request)?.issues;
  if (issues === undefined && era === 'modern' && request.method === 'tools/call' && bringsRound(request)) issues = ROUND_FIELDS.safeParse(request).error?.issues;
  if (issues === undefined) return undefined;
  return {
    jsonrpc: '2.0',
    id: request.id,
    error: { code: ProtocolErrorCode.InvalidParams, message: `Invalid params for ${request.method}: ${describeIssues(issues)}`, data: { code: 'input_invalid' } },
  };
}
