// The series of one metric, by their attribute values: each series' attributes are built once and reused, and their
// number is bounded (past the bound, values fall into the overflow series the OpenTelemetry SDK itself uses).
import type { Attributes } from '@opentelemetry/api';

/** The SDK's own default cardinality limit per metric. */
export const MAX_SERIES = 2000;

/** What the SDK reports for values past a metric's cardinality limit. */
export const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

/** One series: its attributes and, for a counter kept here, its count since the meter provider was installed. */
export interface SeriesEntry {
  readonly attributes: Attributes;
  count: number;
}

/** A metric's series, by the values of its attributes `names` (by position; an undefined value leaves its attribute out). */
export class SeriesTable {
  private readonly entries = new Map<string, SeriesEntry>();
  private overflow: SeriesEntry | undefined;

  constructor(private readonly names: readonly string[], private readonly max: number = MAX_SERIES) {}

  /** The series of `values`; past the bound, the overflow series. */
  of(values: readonly (string | undefined)[]): SeriesEntry {
    // Each value prefixed by its length, an absent one by a mark no length starts with: no two sets of values share a key.
    let key = '';
    for (const value of values) key += value === undefined ? '-' : `${value.length}:${value}`;
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    if (this.entries.size >= this.max) return this.overflow ??= { attributes: OVERFLOW_ATTRIBUTES, count: 0 };
    const attributes: Attributes = {};
    this.names.forEach((name, index) => {
      const value = values[index];
      if (value !== undefined) attributes[name] = value;
    });
    const entry: SeriesEntry = { attributes, count: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  /** Every series, the overflow last. */
  all(): SeriesEntry[] {
    const all = [...this.entries.values()];
    if (this.overflow !== undefined) all.push(this.overflow);
    return all;
  }
}
