// What is stored of client-supplied JSON: always valid JSON, within its size and depth, whatever the shape.
import { describe, expect, it } from 'vitest';
import { boundedJson } from '../../shared/session/clientJson.js';

const BOUNDS = { maxChars: 1024, maxDepth: 4 };

function depthOf(value: unknown): number {
  // Iterative: the point of the bound is that nothing recurses on client input.
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function deep(levels: number): unknown {
  let value: unknown = {};
  for (let level = 0; level < levels; level++) value = { a: value, list: [value] };
  return value;
}

describe('boundedJson', () => {
  it.each([
    ['100,000 levels of objects', JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown],
    ['100,000 levels of arrays', JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown],
    ['shared subtrees (a DAG of 2^40 paths)', deep(40)],
    ['200,000 members', Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`key${i}`, i]))],
    ['a 1,000,000-element array', Array.from({ length: 1_000_000 }, (_, i) => i)],
    ['long strings of control characters', { text: '\u0000\u001b[31m'.repeat(10_000), ['\n'.repeat(500)]: 'key' }],
    ['lone surrogates', { text: '\ud800'.repeat(1000) }],
  ])('keeps %s valid, within size and depth', (_label, value) => {
    const text = boundedJson(value, BOUNDS);
    expect(text.length).toBeLessThanOrEqual(BOUNDS.maxChars);
    expect(depthOf(JSON.parse(text))).toBeLessThanOrEqual(BOUNDS.maxDepth);
  });

  it('keeps small JSON as it is', () => {
    const value = { name: 'inspector', version: '1.2.3', roots: { listChanged: true }, sampling: {}, tags: ['a', 1, null, false] };
    expect(JSON.parse(boundedJson(value, BOUNDS))).toEqual(value);
  });

  it('keeps a __proto__ key as a plain member, never as a prototype', () => {
    const parsed = JSON.parse(boundedJson(JSON.parse('{"__proto__":{"polluted":true},"x":1}'), BOUNDS)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('turns what JSON cannot hold, and a top-level value too long, into null', () => {
    expect(boundedJson(undefined, BOUNDS)).toBe('null');
    expect(JSON.parse(boundedJson({ a: Number.NaN, b: () => 1 }, BOUNDS))).toEqual({ a: null, b: null });
    expect(JSON.parse(boundedJson('x'.repeat(5000), BOUNDS))).toHaveLength(257);
    expect(boundedJson('x'.repeat(300), { maxChars: 100, maxDepth: 4 })).toBe('null');
  });
});
