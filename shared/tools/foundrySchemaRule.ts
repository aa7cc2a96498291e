// The JSON Schema subset Foundry Agent Service accepts in an MCP tool's schemas, as one check that names every violation.
//
// Sources:
// - Microsoft Q&A 5684372, "Schema validation of MCP server tools/list operation fails when using MCP tools in
//   Foundry" (2025-12): a tool whose schema holds `anyOf` (a nullable `string | null` union) fails the agent with
//   `invalid_request_error: Invalid tool schema for: <server_label>.<tool>`. Supported: `type: object`, properties
//   of one concrete type (string, number, boolean), `required`, `description`, `title`. Not supported:
//   `anyOf`/`oneOf`/`allOf`, nullable unions, "complex validation logic", "advanced JSON Schema constructs".
// - Microsoft Q&A 5909138, "Foundry agent refusing to use tools" (2026): `anyOf`/`allOf` or a parameter that
//   accepts more than one type gives "Invalid tool schema", and the agent is left with no tools from the server.
// - OpenAI's function calling and Structured Outputs subset, which Foundry's Responses API follows: the types
//   string, number, integer, boolean, object and array, `enum`, `items`, `additionalProperties: false`;
//   `$ref`/`$defs` and composition are where models and validators part ways first.
//
// Where the sources are silent the rule keeps to what they name: a keyword they do not name (`const`, `format`,
// `pattern`, `default`, bounds such as `minimum` or `maxLength`, `$schema`, `$ref`, `$defs`) is a violation, and
// `additionalProperties` may only be `false`. The server checks bounds, patterns and defaults itself (zod), and a
// model reads them best in the description.

/** One place a schema leaves the subset: an RFC 6901 pointer into the schema, and what is wrong there. */
export interface SchemaViolation {
  readonly pointer: string;
  readonly problem: string;
}

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean'] as const;
type SchemaType = (typeof TYPES)[number];

const COMMON_KEYWORDS = ['type', 'description', 'title'];
const KEYWORDS: Readonly<Record<SchemaType, ReadonlySet<string>>> = {
  object: new Set([...COMMON_KEYWORDS, 'properties', 'required', 'additionalProperties']),
  array: new Set([...COMMON_KEYWORDS, 'items']),
  string: new Set([...COMMON_KEYWORDS, 'enum']),
  number: new Set([...COMMON_KEYWORDS, 'enum']),
  integer: new Set([...COMMON_KEYWORDS, 'enum']),
  boolean: new Set(COMMON_KEYWORDS),
};

const UNIONS = new Set(['anyOf', 'oneOf', 'allOf', 'not']);
const REFERENCES = new Set(['$ref', '$defs', 'definitions', '$id', '$anchor', '$dynamicRef']);

const pointerTo = (parent: string, key: string | number): string => `${parent}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function keywordProblem(keyword: string, type: SchemaType): string {
  if (UNIONS.has(keyword)) return `${keyword} is refused: give the property one concrete type`;
  if (REFERENCES.has(keyword)) return `${keyword} is refused: write the schema inline`;
  return `${keyword} is not in Foundry's subset for ${type}: say it in the description and let the server check it`;
}

function enumProblem(values: unknown, type: SchemaType): string | undefined {
  if (!Array.isArray(values) || values.length === 0) return 'enum must list at least one value';
  const fits = (value: unknown) => (type === 'string' ? typeof value === 'string' : type === 'integer' ? Number.isInteger(value) : typeof value === 'number');
  return values.every(fits) ? undefined : `every enum value must be a ${type}`;
}

function checkNode(schema: unknown, pointer: string, found: SchemaViolation[]): void {
  if (!isRecord(schema)) {
    found.push({ pointer, problem: 'must be a schema object with one concrete type' });
    return;
  }
  const { type } = schema;
  if (Array.isArray(type)) {
    found.push({ pointer: pointerTo(pointer, 'type'), problem: 'a type array is refused: one concrete type per property (leave an absent value out instead of null)' });
    return;
  }
  if (type === 'null') {
    found.push({ pointer: pointerTo(pointer, 'type'), problem: 'the null type is refused: leave an absent value out instead' });
    return;
  }
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    found.push({ pointer, problem: type === undefined ? 'has no type: give it one concrete type' : `unknown type ${JSON.stringify(type)}` });
    for (const keyword of Object.keys(schema)) {
      if (UNIONS.has(keyword) || REFERENCES.has(keyword)) found.push({ pointer: pointerTo(pointer, keyword), problem: keywordProblem(keyword, 'object') });
    }
    return;
  }
  const known = type as SchemaType;
  for (const [keyword, value] of Object.entries(schema)) {
    const at = pointerTo(pointer, keyword);
    if (!KEYWORDS[known].has(keyword)) {
      found.push({ pointer: at, problem: keywordProblem(keyword, known) });
    } else if ((keyword === 'description' || keyword === 'title') && typeof value !== 'string') {
      found.push({ pointer: at, problem: `${keyword} must be a string` });
    } else if (keyword === 'enum') {
      const problem = enumProblem(value, known);
      if (problem !== undefined) found.push({ pointer: at, problem });
    } else if (keyword === 'additionalProperties' && value !== false) {
      found.push({ pointer: at, problem: 'additionalProperties may only be false' });
    }
  }
  if (known === 'array') {
    if (schema['items'] === undefined) found.push({ pointer, problem: 'an array needs items of one concrete type' });
    else checkNode(schema['items'], pointerTo(pointer, 'items'), found);
  }
  if (known === 'object') checkObject(schema, pointer, found);
}

function checkObject(schema: Record<string, unknown>, pointer: string, found: SchemaViolation[]): void {
  const { properties, required } = schema;
  if (!isRecord(properties)) {
    found.push({ pointer, problem: 'an object needs its properties' });
    return;
  }
  for (const [name, property] of Object.entries(properties)) checkNode(property, pointerTo(pointerTo(pointer, 'properties'), name), found);
  if (required === undefined) return;
  if (!Array.isArray(required) || !required.every((name) => typeof name === 'string' && Object.hasOwn(properties, name))) {
    found.push({ pointer: pointerTo(pointer, 'required'), problem: 'required must list names of the object\'s own properties' });
  }
}

/**
 * Every place `schema` (a tool's `inputSchema` or `outputSchema`) leaves the subset Foundry accepts, as JSON
 * pointers from its root; empty when Foundry would take it. The root must be an object.
 */
export function foundrySchemaViolations(schema: unknown): SchemaViolation[] {
  const found: SchemaViolation[] = [];
  if (isRecord(schema) && schema['type'] !== 'object' && typeof schema['type'] === 'string') {
    found.push({ pointer: '/type', problem: 'a tool schema\'s root must be an object' });
  }
  checkNode(schema, '', found);
  return found;
}
