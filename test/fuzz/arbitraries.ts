// Generators of hostile input: strings, JSON values, JSON-RPC messages and batches, request headers, cursors, session ids.
import fc from 'fast-check';
import { encodeCursor } from '../../shared/graph/cursor.js';
import { PROTOCOL_VERSIONS } from '../../shared/mcp/serverInfo.js';
import { TOOLS } from '../../shared/tools/catalog.js';

/** Pieces that change meaning in a path, a query, a header, a log line or a terminal. */
const HOSTILE_PIECES = [
  '.', '..', '/', '\\', '%2F', '%2f', '%2e%2e', '%252F', '?', '#', '&', '+', '%', '%00', '\r\n', '\n', '\0', '\t', ' ',
  '\u001b[31m', '\u001b]0;x\u0007', '\uD800', '\uDFFF', '\uDBFF\uDFFF', '😀', '\u202E', '\uFEFF', '\u2028', '\u0085', 'ǅ', 'ß', 'İ',
  "'", '"', '`', '$filter=id eq 1', '$select=*', '../../me', '/v1.0/users', 'https://evil.example/', '//evil.example/x', 'http:/x',
  '__proto__', 'constructor', 'prototype', 'toString', 'null', '{}', '[]', '<script>', '${x}', '{{x}}', 'Bearer x', 'eyJhbGciOiJub25lIn0.e30.',
];

/** A string built to break something: hostile pieces, any code points (lone surrogates included), or a very long run. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_PIECES), weight: 4 },
  { arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('a', 'é', '😀', '\uD800', '/', '%', '\u001b'), fc.constantFrom(5_000, 100_000)).map(([unit, count]) => unit.repeat(count)), weight: 1 },
);

/** `[[[...]]]` or `{"a":{"a":...}}` nested `depth` deep, as JSON text: deeper than any recursive walk survives. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

/** Marks a value to be sent as the JSON text it holds (deep nesting the test itself could not stringify). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold `RawJson` parts (properties that are undefined left out, as JSON.stringify does). */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter((entry) => entry[1] !== undefined);
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Any JSON value a client could send where something else was expected: wrong types, huge or deep values. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, [], {}, ['x'], { '__proto__': { polluted: true } }), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom(1_000, 100_000), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([depth, kind]) => new RawJson(deepJson(depth, kind))), weight: 1 },
);

/** JSON-RPC ids, valid and not. */
export const rpcId: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.integer(), weight: 3 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e308, '', ' ', '1', '__proto__', 'constructor', null, true, [], {}, [1], { id: 1 }), weight: 2 },
  { arbitrary: hostileString, weight: 1 },
);

const TOOL_NAMES = TOOLS.map((tool) => tool.name);

export const METHODS = [
  'initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'resources/read', 'resources/templates/list', 'prompts/list',
  'prompts/get', 'logging/setLevel', 'completion/complete', 'sampling/createMessage', 'roots/list', 'tasks/list', 'tasks/get',
  'notifications/initialized', 'notifications/cancelled', 'notifications/progress', 'notifications/roots/list_changed',
] as const;

/** Params that a method takes, roughly, with hostile parts mixed in. */
function paramsFor(method: string): fc.Arbitrary<unknown> {
  const hostile = { arbitrary: hostileValue, weight: 1 };
  switch (method) {
    case 'initialize':
      return fc.oneof(
        { arbitrary: fc.record({
          protocolVersion: fc.oneof(fc.constantFrom(...PROTOCOL_VERSIONS, '2024-11-05', '1999-01-01', ''), hostileValue),
          capabilities: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 3 }), hostileValue),
          clientInfo: fc.oneof(fc.record({ name: fc.oneof(fc.string(), hostileString), version: fc.oneof(fc.string(), hostileValue) }), hostileValue),
        }, { requiredKeys: [] }), weight: 4 },
        hostile,
      );
    case 'tools/call':
      return fc.oneof(
        { arbitrary: fc.record({
          name: fc.oneof(fc.constantFrom(...TOOL_NAMES), fc.constantFrom('', 'WHOAMI', 'whoami ', 'nope', '__proto__', 'constructor'), hostileString),
          arguments: fc.oneof(fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('id', 'query', 'cursor', '__proto__')), hostileValue, { maxKeys: 4 }), hostileValue),
          _meta: fc.oneof(fc.record({ progressToken: rpcId }), hostileValue),
        }, { requiredKeys: [] }), weight: 4 },
        hostile,
      );
    case 'notifications/cancelled':
      return fc.oneof(fc.record({ requestId: rpcId, reason: fc.oneof(fc.string(), hostileValue) }, { requiredKeys: [] }), hostileValue);
    case 'logging/setLevel':
      return fc.oneof(fc.record({ level: fc.oneof(fc.constantFrom('debug', 'info', 'error', 'emergency'), hostileValue) }), hostileValue);
    default:
      return fc.oneof(fc.constant(undefined), fc.constant({}), fc.record({ cursor: fc.oneof(fc.string(), hostileValue) }, { requiredKeys: [] }), hostileValue);
  }
}

/** One JSON-RPC message: a request, a notification, a response, or something that is none of these. */
export const rpcMessage: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...METHODS).chain((method) => fc.record({
    jsonrpc: fc.oneof({ arbitrary: fc.constant('2.0'), weight: 9 }, { arbitrary: fc.constantFrom('1.0', 2, null), weight: 1 }),
    method: fc.constant(method),
    id: rpcId,
    params: paramsFor(method),
  }, { requiredKeys: ['jsonrpc', 'method'] })), weight: 8 },
  { arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), method: fc.oneof(hostileString, fc.string()), id: rpcId, params: hostileValue }, { requiredKeys: ['method'] }), weight: 2 },
  { arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: rpcId, result: hostileValue, error: fc.record({ code: fc.integer(), message: fc.string() }) }, { requiredKeys: ['id'] }), weight: 1 },
  { arbitrary: hostileValue, weight: 1 },
);

/** A POST body: one message, or a batch (empty, ordinary, or over the limit). */
export const rpcBody: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: rpcMessage, weight: 3 },
  { arbitrary: fc.array(rpcMessage, { minLength: 1, maxLength: 8 }), weight: 3 },
  { arbitrary: fc.array(rpcMessage, { minLength: 19, maxLength: 24 }), weight: 1 },
  { arbitrary: fc.constant([]), weight: 1 },
);

/** Messages in a body, for the count of generated cases. */
export function messageCount(body: unknown): number {
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}

/** Cursors: random base64url, well-formed ones of other tools or pointing elsewhere, JSON that is no cursor, real ones. */
export function cursorArbitrary(tool: string, graphUrl: string, real: readonly string[]): fc.Arbitrary<string> {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const links = [`${graphUrl}/v1.0/me/messages?$skip=10`, `${graphUrl}/v1.0/users/someone/messages`, `${graphUrl}/v1.0/me/../users`, `${graphUrl}/v1.0/me/%2e%2e/users`,
    'https://evil.example/v1.0/me/messages', `http://${new URL(graphUrl).host}/v1.0/me/events`, 'javascript:alert(1)', `${graphUrl}@evil.example/v1.0/me`];
  return fc.oneof(
    { arbitrary: fc.base64String({ maxLength: 64 }).map((text) => text.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(tool, ...TOOL_NAMES), fc.constantFrom(...links)).map(([name, link]) => encodeCursor(name, link)), weight: 3 },
    { arbitrary: fc.constantFrom('null', '[]', '[null]', '{}', '0', '"x"', 'true', '{"t":null,"u":null}', `{"t":"${tool}"}`, `{"t":"${tool}","u":5}`, `{"t":["${tool}"],"u":"${graphUrl}"}`).map(b64), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => b64(JSON.stringify(value))), weight: 1 },
    { arbitrary: hostileString.filter((text) => text.length > 0 && text.length <= 4096), weight: 1 },
    ...(real.length === 0 ? [] : [{ arbitrary: fc.constantFrom(...real), weight: 3 }]),
  );
}

/** Mcp-Session-Id values: any shape, ids of the right shape nobody issued, and `known` ones (others' included). */
export function sessionIdArbitrary(known: readonly string[]): fc.Arbitrary<string> {
  const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
  return fc.oneof(
    { arbitrary: hex, weight: 2 },
    { arbitrary: hex.map((id) => id.toUpperCase()), weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', '/', '../x', 'a/b', '%2F', '..', '.', '*', 'null', 'x'.repeat(5000), '0'.repeat(31), '0'.repeat(33), "' or 1 eq 1", 'PartitionKey eq', '\u00e9'.repeat(32)), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 64 }), weight: 2 },
    ...(known.length === 0 ? [] : [
      { arbitrary: fc.constantFrom(...known), weight: 3 },
      { arbitrary: fc.constantFrom(...known).map((id) => ` ${id}`), weight: 1 },
      { arbitrary: fc.constantFrom(...known).map((id) => id.toUpperCase()), weight: 1 },
    ]),
  );
}
