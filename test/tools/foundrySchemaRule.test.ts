// Foundry's schema subset: the rule names what leaves it, and tools/list stays inside it for every tool set and protocol version.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLSETS, type Toolset } from '../../shared/config/toolsets.js';
import { TOOLS_BY_SET } from '../../shared/tools/catalog.js';
import { foundrySchemaViolations } from '../../shared/tools/foundrySchemaRule.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const pointers = (schema: unknown) => foundrySchemaViolations(schema).map((violation) => violation.pointer);

describe('foundrySchemaViolations', () => {
  it('takes one concrete type per property, enums, arrays of objects, descriptions and additionalProperties: false', () => {
    const schema = object({
      text: { type: 'string', description: 'Some text', title: 'Text' },
      count: { type: 'integer', enum: [1, 2] },
      ratio: { type: 'number' },
      flag: { type: 'boolean' },
      kind: { type: 'string', enum: ['a', 'b'] },
      people: { type: 'array', items: object({ email: { type: 'string' } }, { required: ['email'], additionalProperties: false }) },
    }, { required: ['text'], additionalProperties: false });
    expect(foundrySchemaViolations(schema)).toEqual([]);
    expect(foundrySchemaViolations(object({}))).toEqual([]);
  });

  it.each([
    ['anyOf', object({ a: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }), ['/properties/a', '/properties/a/anyOf']],
    ['oneOf beside a type', object({ a: { type: 'string', oneOf: [{ type: 'string' }] } }), ['/properties/a/oneOf']],
    ['allOf', object({ a: { type: 'object', properties: {}, allOf: [] } }), ['/properties/a/allOf']],
    ['not', object({ a: { type: 'string', not: { enum: ['x'] } } }), ['/properties/a/not']],
    ['a type array', object({ a: { type: ['string', 'null'] } }), ['/properties/a/type']],
    ['the null type', object({ a: { type: 'null' } }), ['/properties/a/type']],
    ['no type', object({ a: { description: 'anything' } }), ['/properties/a']],
    ['$ref and $defs', object({ a: { $ref: '#/$defs/a' } }, { $defs: { a: { type: 'string' } } }), ['/$defs', '/properties/a', '/properties/a/$ref']],
    ['const', object({ a: { type: 'boolean', const: true } }), ['/properties/a/const']],
    ['format', object({ a: { type: 'string', format: 'email' } }), ['/properties/a/format']],
    ['pattern', object({ a: { type: 'string', pattern: '^x$' } }), ['/properties/a/pattern']],
    ['default', object({ a: { type: 'integer', default: 5 } }), ['/properties/a/default']],
    ['bounds', object({ a: { type: 'integer', minimum: 1 }, b: { type: 'string', maxLength: 2 }, c: { type: 'array', items: { type: 'string' }, maxItems: 2 } }), ['/properties/a/minimum', '/properties/b/maxLength', '/properties/c/maxItems']],
    ['$schema', { $schema: 'https://json-schema.org/draft/2020-12/schema', ...object({}) }, ['/$schema']],
    ['additionalProperties: true', object({}, { additionalProperties: true }), ['/additionalProperties']],
    ['additionalProperties as a schema (a record)', object({}, { additionalProperties: { type: 'string' } }), ['/additionalProperties']],
    ['an object without properties', object({ a: { type: 'object' } }), ['/properties/a']],
    ['an array without items', object({ a: { type: 'array' } }), ['/properties/a']],
    ['a nullable union deep in array items', object({ list: { type: 'array', items: object({ from: { anyOf: [object({}), { type: 'null' }] } }) } }), ['/properties/list/items/properties/from', '/properties/list/items/properties/from/anyOf']],
    ['an enum value of another type', object({ a: { type: 'string', enum: ['x', 1] } }), ['/properties/a/enum']],
    ['required naming no property', object({ a: { type: 'string' } }, { required: ['b'] }), ['/required']],
    ['a root that is not an object', { type: 'string' }, ['/type']],
    ['a boolean schema', object({ a: true }), ['/properties/a']],
  ])('refuses %s, pointing at it', (_case, schema, expected) => {
    expect(pointers(schema)).toEqual(expected);
  });

  it('escapes property names in its pointers (RFC 6901)', () => {
    expect(pointers(object({ 'a/b~c': { type: 'string', default: '' } }))).toEqual(['/properties/a~1b~0c/default']);
  });

  it('says what is wrong, in words', () => {
    const [violation] = foundrySchemaViolations(object({ a: { type: ['string', 'null'] } }));
    expect(violation?.problem).toMatch(/one concrete type/);
  });
});

const VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;

/** The SDK's client over HTTP, negotiating `version`: v1's client offers only its latest, so its initialize is asked for `version`. */
async function connectAt(stack: TestStack, version: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const askFor: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string' && init.body.includes('"initialize"')) {
      const message = JSON.parse(init.body) as { method?: string; params?: { protocolVersion?: string } };
      if (message.method === 'initialize' && message.params !== undefined) {
        message.params.protocolVersion = version;
        return fetch(input, { ...init, body: JSON.stringify(message) });
      }
    }
    return fetch(input, init);
  };
  const client = new Client({ name: 'foundry-subset-check', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
    requestInit: { headers: { authorization: `Bearer ${await stack.idp.accessToken(ADELE)}` } },
    fetch: askFor,
  });
  await client.connect(transport);
  return { client, transport };
}

async function everyListedTool(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

/** Every violation of every listed schema, as `<tool> <inputSchema|outputSchema><pointer>: <problem>`. */
function violationsOf(tools: readonly Tool[]): string[] {
  return tools.flatMap((tool) => (['inputSchema', 'outputSchema'] as const).flatMap((which) =>
    foundrySchemaViolations(tool[which]).map((violation) => `${tool.name} ${which}${violation.pointer}: ${violation.problem}`)));
}

const lendsTo = (lender: Toolset, borrower: Toolset): boolean =>
  TOOLS_BY_SET[borrower].some((tool) => TOOLS_BY_SET[lender].some((other) => tool.borrows?.includes(other.name) === true));

const CONFIGURATIONS: readonly { readonly label: string; readonly sets: readonly Toolset[] }[] = [
  { label: 'every tool set', sets: TOOLSETS },
  // A set whose tool borrows comes with the sets it borrows from: alone it offers nothing.
  ...TOOLSETS.map((set) => ({ label: `MCP_TOOLSETS=${set}`, sets: TOOLSETS.filter((other) => other === set || lendsTo(other, set)) })),
];

describe.each(CONFIGURATIONS)('tools/list with $label', ({ sets }) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { MCP_TOOLSETS: sets.join(',') } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each(VERSIONS)('at protocol version %s: every tool\'s input and output schema is inside Foundry\'s subset', async (version) => {
    const { client, transport } = await connectAt(stack, version);
    try {
      expect(transport.protocolVersion).toBe(version);
      const tools = await everyListedTool(client);
      expect(tools.map((tool) => tool.name)).toEqual(sets.flatMap((set) => TOOLS_BY_SET[set].map((tool) => tool.name)));
      for (const tool of tools) expect(tool.outputSchema, tool.name).toBeDefined();
      expect(violationsOf(tools)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
