// tools/list per caller: each distinct set of allowed tools gets one answer, built from the shared entries and kept, a bounded number of them.
import { describe, expect, it } from 'vitest';
import { createToolCatalog, MAX_LISTED_ANSWERS } from '../../shared/tools/catalog.js';

const allowed = (...names: string[]) => ({ names: new Set(names), key: names.join(',') });

describe('listedFor', () => {
  it('answers everything with the catalog\'s own list when nothing restricts the caller', () => {
    const catalog = createToolCatalog(undefined);
    expect(catalog.listedFor(undefined)).toBe(catalog.listed);
  });

  it('builds an answer once per set, in catalog order, from the same entries (schemas built once)', () => {
    const catalog = createToolCatalog(undefined);
    const first = catalog.listedFor(allowed('send_mail', 'whoami'));
    expect(first.map((tool) => tool.name)).toEqual(['whoami', 'send_mail']);
    expect(catalog.listedFor(allowed('send_mail', 'whoami'))).toBe(first);
    expect(first[0]).toBe(catalog.listed.find((tool) => tool.name === 'whoami'));
    expect(catalog.listedFor(allowed())).toEqual([]);
  });

  it(`keeps at most ${MAX_LISTED_ANSWERS} answers, dropping the oldest`, () => {
    const catalog = createToolCatalog(undefined);
    const names = catalog.listed.map((tool) => tool.name);
    const oldest = catalog.listedFor(allowed('whoami'));
    const recent = catalog.listedFor(allowed('find_people'));
    for (let index = 0; index < MAX_LISTED_ANSWERS - 1; index++) catalog.listedFor({ names: new Set(names), key: `set ${index}` });
    expect(catalog.listedFor(allowed('find_people'))).toBe(recent);
    const rebuilt = catalog.listedFor(allowed('whoami'));
    expect(rebuilt).not.toBe(oldest);
    expect(rebuilt).toEqual(oldest);
  });
});
