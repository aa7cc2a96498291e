// A tool's zod schema as tools/list carries it: each field's one type, its allowed values and its description.
import * as z from 'zod';

/**
 * Keywords the server enforces itself when it parses a call's arguments (zod), left out of the listing: Foundry's
 * schema subset has no room for them (see foundrySchemaRule.ts), and a model reads a range or a default best in words.
 */
const SERVER_CHECKED = ['pattern', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'default'] as const;

/** `(default 20)` after the description, so what the server fills in stays visible once `default` is gone. */
function describeDefault(schema: Record<string, unknown>): void {
  const fallback = schema['default'];
  if (typeof fallback !== 'string' && typeof fallback !== 'number' && typeof fallback !== 'boolean') return;
  const note = `(default ${String(fallback)})`;
  schema['description'] = typeof schema['description'] === 'string' ? `${schema['description']} ${note}` : note;
}

/** The JSON Schema of a tool's input (what a caller may send) or output (what `structuredContent` holds). */
export function listedSchema(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...listed } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Record<string, unknown>;
      describeDefault(node);
      for (const keyword of SERVER_CHECKED) delete node[keyword];
    },
  }) as Record<string, unknown>;
  return listed;
}
