// What is kept of JSON a client sent (initialize's clientInfo and capabilities): a copy bounded in depth and
// size, built without recursion, so no nesting or width a client chooses can exhaust the stack or the row.

export interface JsonBounds {
  /** Most characters of the JSON text. */
  readonly maxChars: number;
  /** Most levels of nesting; deeper objects and arrays are kept as "…". */
  readonly maxDepth: number;
}

const MAX_STRING = 256;
const MAX_KEY = 64;
const CUT = '…';

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Strings cut short; numbers, booleans and null as they are; anything JSON cannot hold as null. */
function leaf(value: unknown): string | number | boolean | null {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}${CUT}` : value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return value;
  return null;
}

/** Own members, lazily: an object's keys are walked only as far as the budget reaches. */
function* members(source: Container): Generator<[string, unknown]> {
  if (Array.isArray(source)) {
    for (let index = 0; index < source.length; index++) yield [String(index), source[index]];
    return;
  }
  for (const key in source) if (Object.hasOwn(source, key)) yield [key, source[key]];
}

/**
 * JSON text of `value`, always valid, at most `maxChars` long and `maxDepth` deep: members that do not
 * fit are left out. Work is bounded by the budget, not by the input.
 */
export function boundedJson(value: unknown, bounds: JsonBounds): string {
  if (!isContainer(value)) {
    const text = JSON.stringify(leaf(value));
    return text.length <= bounds.maxChars ? text : 'null';
  }
  // Null-prototype copies: a `__proto__` key stays an ordinary member.
  const copyOf = (source: Container): Container => (Array.isArray(source) ? [] : Object.create(null) as Record<string, unknown>);
  const root = copyOf(value);
  let budget = bounds.maxChars - 2;
  const pending: { source: Container; target: Container; depth: number }[] = [{ source: value, target: root, depth: 1 }];
  while (pending.length > 0 && budget > 0) {
    const { source, target, depth } = pending.pop() as (typeof pending)[number];
    for (const [rawKey, child] of members(source)) {
      const key = rawKey.length > MAX_KEY ? rawKey.slice(0, MAX_KEY) : rawKey;
      let copy: unknown;
      let cost = 1 + (Array.isArray(target) ? 0 : JSON.stringify(key).length + 1); // comma, and `"key":`
      if (isContainer(child) && depth < bounds.maxDepth) {
        copy = copyOf(child);
        cost += 2;
      } else {
        copy = isContainer(child) ? CUT : leaf(child);
        cost += JSON.stringify(copy).length;
      }
      if (cost > budget) {
        budget = 0;
        break;
      }
      budget -= cost;
      if (Array.isArray(target)) target.push(copy);
      else target[key] = copy;
      if (isContainer(copy)) pending.push({ source: child as Container, target: copy, depth: depth + 1 });
    }
  }
  // At most maxDepth levels deep, so the built-in serializer's recursion is bounded too.
  return JSON.stringify(root);
}
