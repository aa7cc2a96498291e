// Arguments for every tool, generated from its full input schema (bounds and patterns too, which tools/list leaves to the
// server): mostly valid, with hostile strings, wrong types, missing and unknown fields mixed in, and ids and cursors
// from the users' real data.
import fc from 'fast-check';
import * as z from 'zod';
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

/** How arguments are built: `hostile` mixes hostile leaves and shapes in; otherwise only what the schema allows. */
interface Mode {
  readonly tool: string;
  readonly pools: ArgumentPools;
  readonly hostile: boolean;
}

/** A leaf replaced, one time in `1 + validWeight`, by something hostile (in hostile mode). */
function mixed<T>(mode: Mode, valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = hostileValue, validWeight = 5): fc.Arbitrary<unknown> {
  return mode.hostile ? fc.oneof({ arbitrary: valid, weight: validWeight }, { arbitrary: hostile, weight: 1 }) : valid;
}

function stringArbitrary(schema: Schema, key: string, mode: Mode): fc.Arbitrary<unknown> {
  const { tool, pools } = mode;
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const max = typeof schema['maxLength'] === 'number' ? Math.min(schema['maxLength'], 64) : 64;
  const fits = (text: string) => text.length >= min && text.length <= (typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity);
  if (Array.isArray(schema['enum'])) return mixed(mode, fc.constantFrom(...(schema['enum'] as string[])));
  if (key === 'cursor') {
    const real = pools.cursors.get(tool) ?? [];
    if (mode.hostile) return cursorArbitrary(tool, pools.graphUrl, real);
    // Left out (undefined is not sent) when this tool has no real cursor to replay.
    return real.length === 0 ? fc.constant(undefined) : fc.constantFrom(...real);
  }
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
  // Only the schema allows: where the key says what it holds (a date, an id, an address), that, not any text.
  if (!mode.hostile && candidates.length > 1) candidates.shift();
  return mixed(mode, fc.oneof(...candidates).filter(fits), fc.oneof({ arbitrary: hostileString, weight: 3 }, { arbitrary: hostileValue, weight: 1 }), 3);
}

function arbitraryOf(schema: Schema, key: string, mode: Mode): fc.Arbitrary<unknown> {
  switch (schema['type']) {
    case 'string':
      return stringArbitrary(schema, key, mode);
    case 'integer':
    case 'number': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -1000;
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1000;
      const valid = schema['type'] === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
      return mixed(mode, valid, fc.constantFrom(min - 1, max + 1, 0.5, -0, 1e308, '5', null));
    }
    case 'boolean':
      return mixed(mode, fc.boolean(), fc.constantFrom('true', 0, 1, null));
    case 'array': {
      const items = arbitraryOf((schema['items'] ?? {}) as Schema, key, mode);
      const minLength = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
      const maxItems = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 10;
      return mixed(mode, fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(maxItems, 4)) }),
        fc.oneof(hostileValue, fc.array(items, { minLength: maxItems + 1, maxLength: maxItems + 1 })), 8);
    }
    case 'object':
      return objectArbitrary(schema, mode);
    default:
      return mode.hostile ? hostileValue : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: Schema, mode: Mode): fc.Arbitrary<unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, arbitraryOf(property, key, mode)]));
  const record = fc.record(model, { requiredKeys: [] });
  // Required fields present (usually), optional ones when fast-check picks them; sometimes an unknown one too.
  const requiredRecord = fc.record(Object.fromEntries([...required].map((key) => [key, model[key] ?? hostileValue])));
  const valid = fc.tuple(requiredRecord, record).map(([must, may]) => ({ ...may, ...must }));
  const extra = fc.tuple(valid, fc.constantFrom('__proto__', 'constructor', 'extra', '$select', ''), hostileValue).map(([value, key, item]) => ({ ...value, [key]: item }));
  if (!mode.hostile) return valid;
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: record, weight: 2 }, { arbitrary: extra, weight: 1 }, { arbitrary: hostileValue, weight: 1 });
}

/** Generated arguments for `tool`: some only of the shapes its schema allows (so they reach Graph), most with hostile parts. */
export function toolArguments(tool: ToolDefinition, pools: ArgumentPools): fc.Arbitrary<unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Schema;
  return fc.oneof(
    { arbitrary: objectArbitrary(schema, { tool: tool.name, pools, hostile: false }), weight: 2 },
    { arbitrary: objectArbitrary(schema, { tool: tool.name, pools, hostile: true }), weight: 3 },
  );
}
