// Foundry's schema subset: the rule names what leaves it.
import { describe, expect, it } from 'vitest';
import { foundrySchemaViolations } from '../../shared/tools/foundrySchemaRule.js';

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
