// The workbook and the README's queries ask only for names the telemetry module emits, and infra/ deploys the workbook.
import { describe, expect, it } from 'vitest';
import { ATTR, METRIC, RECORD } from '../../shared/telemetry/attributes/names.js';
import { readRepoText } from '../infra/infraFiles.js';

interface WorkbookItem {
  readonly type: number;
  readonly name: string;
  readonly content: { readonly query?: string; readonly title?: string; readonly items?: WorkbookItem[]; readonly resourceType?: string };
}

const workbook = JSON.parse(readRepoText('infra/app/workbook.json') ?? '{}') as { version?: string; items?: WorkbookItem[]; fallbackResourceIds?: string[] };

function queries(items: readonly WorkbookItem[] = workbook.items ?? []): { title: string; query: string; resourceType?: string }[] {
  return items.flatMap((item) => [
    ...(item.content.query !== undefined ? [{ title: item.content.title ?? item.name, query: item.content.query, resourceType: item.content.resourceType }] : []),
    ...queries(item.content.items ?? []),
  ]);
}

/** The KQL blocks of the README's "Operating it" section. */
function readmeQueries(): string[] {
  const readme = readRepoText('README.md') ?? '';
  const section = readme.slice(readme.indexOf('## Operating it'), readme.indexOf('## Deploy'));
  return [...section.matchAll(/```kql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

const EMITTED_METRICS = new Set<string>(Object.values(METRIC));
const EMITTED_RECORDS = new Set<string>(Object.values(RECORD));
const EMITTED_ATTRIBUTES = new Set<string>(Object.values(ATTR));

/** Every metric name, record message and custom dimension a query reads. */
function referencedNames(query: string): { metrics: string[]; records: string[]; dimensions: string[] } {
  const single = [...query.matchAll(/\bname == "([^"]+)"/g)].map((match) => match[1] ?? '');
  const lists = [...query.matchAll(/\bname in \(([^)]*)\)/g)].flatMap((match) => [...(match[1] ?? '').matchAll(/"([^"]+)"/g)].map((name) => name[1] ?? ''));
  const metrics = [...single, ...lists];
  const records = [...query.matchAll(/\bmessage == "([^"]+)"/g)].map((match) => match[1] ?? '');
  const dimensions = [...query.matchAll(/customDimensions\["([^"]+)"\]/g)].map((match) => match[1] ?? '');
  return { metrics, records, dimensions };
}

describe('the workbook', () => {
  it('is deployed by infra/main.bicep against the Application Insights component', () => {
    const main = readRepoText('infra/main.bicep') ?? '';
    expect(main).toMatch(/module workbook '\.\/app\/workbook\.bicep'/);
    const module = readRepoText('infra/app/workbook.bicep') ?? '';
    expect(module).toContain("loadTextContent('workbook.json')");
    expect(module).toContain('__APPLICATION_INSIGHTS_ID__');
    expect(workbook.version).toBe('Notebook/1.0');
    expect(workbook.fallbackResourceIds).toEqual(['__APPLICATION_INSIGHTS_ID__']);
  });

  it('answers what an operator opens it for', () => {
    const titles = queries().map((query) => query.title).join('\n');
    for (const topic of [/calls and errors per tool/i, /latency per tool/i, /AADSTS/, /throttl/i, /refusals/i, /active users per tenant/i]) expect(titles).toMatch(topic);
  });

  it.each(queries().map((query) => [query.title, query] as const))('%s: queries the component, and only names the server emits', (_title, { query, resourceType }) => {
    expect(resourceType).toBe('microsoft.insights/components');
    const names = referencedNames(query);
    expect(names.metrics.filter((name) => !EMITTED_METRICS.has(name))).toEqual([]);
    expect(names.records.filter((name) => !EMITTED_RECORDS.has(name))).toEqual([]);
    expect(names.dimensions.filter((name) => !EMITTED_ATTRIBUTES.has(name))).toEqual([]);
    expect(names.metrics.length + names.records.length + names.dimensions.length).toBeGreaterThan(0);
  });
});

describe('README "Operating it"', () => {
  it('has the queries for consent errors, slow tools and throttled tenants, on names the server emits', () => {
    const blocks = readmeQueries();
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const all = blocks.join('\n');
    expect(all).toContain('consent_required');
    expect(all).toMatch(/percentile\(duration, 95\)/);
    expect(all).toContain(METRIC.graphThrottled);
    for (const block of blocks) {
      const names = referencedNames(block);
      expect(names.metrics.filter((name) => !EMITTED_METRICS.has(name))).toEqual([]);
      expect(names.records.filter((name) => !EMITTED_RECORDS.has(name))).toEqual([]);
      expect(names.dimensions.filter((name) => !EMITTED_ATTRIBUTES.has(name))).toEqual([]);
    }
  });
});
