// Arguments for every tool, generated from its input schema (as tools/list publishes it): mostly valid, with hostile
// strings, wrong types, missing and unknown fields mixed in, and ids and cursors from the users' real data.
import fc from 'fast-check';
import { z } from 'zod';
import type { ToolDefinition } from '../../shared/tools/defineTool.js';
import { cursorArbitrary, hostileString, hostileValue } from './arbitraries.js';

type Schema = Record<string, unknown>;

export interface ArgumentPools {
  readonly graphUrl: string;
  /** Ids found in the users' data (both users', so each is tried on the other's). */
  readonly ids: readonly string[];
  /** Cursors real list calls returned, by tool. */
  readonly cursors: ReadonlyMap<string, readonly string[]>;
  /** Email addresses worth trying. */
  readonly emails: readonly string[];
}

const DATE_KEYS = /^(start|end|dateTime|dueDate|dueFrom|dueBefore)$/;
const ID_KEYS = /(^id$|Id$|^folder$|^replyTo$)/;

/** Dates in the shapes tools take, around the sample data's dates. */
const dateLike = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).chain((date) => {
  const iso = date.toISOString();
  return fc.constantFrom(iso, iso.slice(0, 19), iso.slice(0, 10), `${iso.slice(0, 19)}+02:00`, iso.replace('T', ' '));
});

/** A leaf replaced, one time in `1 + validWeight`, by something hostile. */
function mixed<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = hostileValue, validWeight = 5): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: validWeight }, { arbitrary: hostile, weight: 1 });
}

function stringArbitrary(schema: Schema, key: string, tool: string, pools: ArgumentPools): fc.Arbitrary<unknown> {
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const max = typeof schema['maxLength'] === 'number' ? Math.min(schema['maxLength'], 64) : 64;
  const fits = (text: string) => text.length >= min && text.length <= (typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity);
  if (Array.isArray(schema['enum'])) return mixed(fc.constantFrom(...(schema['enum'] as string[])));
  if (key === 'cursor') return cursorArbitrary(tool, pools.graphUrl, pools.cursors.get(tool) ?? []);
  const candidates: fc.Arbitrary<string>[] = [fc.string({ minLength: min, maxLength: Math.max(min, max) })];
  if (typeof schema['pattern'] === 'string') {
    try {
      candidates.push(fc.stringMatching(new RegExp(schema['pattern'])).filter(fits));
    } catch {
      // fast-check cannot generate from every regex (lookaheads): the other candidates stand in.
    }
  }
  if (DATE_KEYS.test(key)) candidates.push(dateLike.filter(fits), dateLike.filter(fits));
  if (ID_KEYS.test(key) && pools.ids.length > 0) candidates.push(fc.constantFrom(...pools.ids), fc.constantFrom(...pools.ids));
  if (schema['format'] === 'email' || /email|^to$|^cc$|^bcc$|schedules/.test(key)) candidates.push(fc.constantFrom(...pools.emails), fc.emailAddress());
  if (key === 'timeZone') candidates.push(fc.constantFrom('UTC', 'Europe/Paris', 'Pacific Standard Time', 'America/New_York', 'Etc/GMT+14', 'Mars/Olympus'));
  if (key === 'duration') candidates.push(fc.constantFrom('PT1H', 'PT30M', 'P1D', 'PT0S', 'PT-1H', 'P999Y'));
  return mixed(fc.oneof(...candidates), fc.oneof({ arbitrary: hostileString, weight: 3 }, { arbitrary: hostileValue, weight: 1 }), 3);
}

function arbitraryOf(schema: Schema, key: string, tool: string, pools: ArgumentPools): fc.Arbitrary<unknown> {
  if (Array.isArray(schema['anyOf'])) return fc.oneof(...(schema['anyOf'] as Schema[]).map((option) => arbitraryOf(option, key, tool, pools)));
  if ('const' in schema) return mixed(fc.constant(schema['const']));
  switch (schema['type']) {
    case 'string':
      return stringArbitrary(schema, key, tool, pools);
    case 'integer':
    case 'number': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -1000;
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1000;
      const valid = schema['type'] === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
      return mixed(valid, fc.constantFrom(min - 1, max + 1, 0.5, -0, 1e308, '5', null));
    }
    case 'boolean':
      return mixed(fc.boolean(), fc.constantFrom('true', 0, 1, null));
    case 'array': {
      const items = arbitraryOf((schema['items'] ?? {}) as Schema, key, tool, pools);
      const minLength = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
      const maxItems = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 10;
      return mixed(fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(maxItems, 4)) }),
        fc.oneof(hostileValue, fc.array(items, { minLength: maxItems + 1, maxLength: maxItems + 1 })), 8);
    }
    case 'object':
      return objectArbitrary(schema, tool, pools);
    default:
      return hostileValue;
  }
}

function objectArbitrary(schema: Schema, tool: string, pools: ArgumentPools): fc.Arbitrary<unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, arbitraryOf(property, key, tool, pools)]));
  const record = fc.record(model, { requiredKeys: [] });
  // Required fields present (usually), optional ones when fast-check picks them; sometimes an unknown one too.
  const requiredRecord = fc.record(Object.fromEntries([...required].map((key) => [key, model[key] ?? hostileValue])));
  const valid = fc.tuple(requiredRecord, record).map(([must, may]) => ({ ...may, ...must }));
  const extra = fc.tuple(valid, fc.constantFrom('__proto__', 'constructor', 'extra', '$select', ''), hostileValue).map(([value, key, item]) => ({ ...value, [key]: item }));
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: record, weight: 2 }, { arbitrary: extra, weight: 1 }, { arbitrary: hostileValue, weight: 1 });
}

/** Generated arguments for `tool`. */
export function toolArguments(tool: ToolDefinition, pools: ArgumentPools): fc.Arbitrary<unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Schema;
  return objectArbitrary(schema, tool.name, pools);
}
