// The server's metric instruments, created from whichever meter provider is installed when they are first used.
import { metrics, type Counter, type Meter, type MeterProvider, type MetricOptions } from '@opentelemetry/api';
import { ATTR, METRIC, SCOPE_NAME } from '../attributes/names.js';
import { SeriesTable } from './series.js';

/** Attribute values by position, as the instrument names them; an undefined value leaves its attribute out. */
export type SeriesValues = readonly (string | undefined)[];

/**
 * A counter of something every request or tool call does, counted here and read by the SDK at each collection (an
 * asynchronous counter, exported as a counter is). A synchronous counter hashes its attributes on every add, which
 * measured 5–13 µs a call in a loaded server; a count here is one map lookup.
 */
export interface TalliedCounter {
  add(values: SeriesValues): void;
}

/** A histogram recorded on every request, each series' attributes built once instead of on every record. */
export interface SeriesHistogram {
  record(value: number, values: SeriesValues): void;
}

export interface Instruments {
  /** mcp.method.name, gen_ai.tool.name, onbehalf.outcome, error.type, onbehalf.error.code. */
  readonly operationDuration: SeriesHistogram;
  /** gen_ai.tool.name, onbehalf.outcome, onbehalf.error.code. */
  readonly toolCalls: TalliedCounter;
  /** onbehalf.obo.cache, onbehalf.outcome, onbehalf.error.code, onbehalf.entra.aadsts. */
  readonly oboExchanges: TalliedCounter;
  readonly refusals: Counter;
  readonly graphThrottled: Counter;
  readonly tableFailures: Counter;
  readonly auditUnwritten: Counter;
  readonly policyRefusals: Counter;
}

// The MCP semantic conventions' advice for operation durations, in seconds.
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

function talliedCounter(meter: Meter, name: string, options: MetricOptions, attributeNames: readonly string[]): TalliedCounter {
  const series = new SeriesTable(attributeNames);
  meter.createObservableCounter(name, options).addCallback((result) => {
    for (const entry of series.all()) result.observe(entry.count, entry.attributes);
  });
  return { add: (values) => void series.of(values).count++ };
}

function create(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(SCOPE_NAME);
  const durations = meter.createHistogram(METRIC.operationDuration, {
    unit: 's',
    description: 'MCP request duration as the server saw it, from arrival to answer',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const durationSeries = new SeriesTable([ATTR.mcpMethodName, ATTR.genAiToolName, ATTR.outcome, ATTR.errorType, ATTR.errorCode]);
  return {
    operationDuration: { record: (seconds, values) => durations.record(seconds, durationSeries.of(values).attributes) },
    toolCalls: talliedCounter(meter, METRIC.toolCalls, { unit: '{call}', description: 'tools/call requests by tool and outcome' }, [ATTR.genAiToolName, ATTR.outcome, ATTR.errorCode]),
    oboExchanges: talliedCounter(meter, METRIC.oboExchanges, { unit: '{exchange}', description: 'On-Behalf-Of token requests, served from cache or from Entra ID' }, [ATTR.oboCache, ATTR.outcome, ATTR.errorCode, ATTR.aadsts]),
    refusals: meter.createCounter(METRIC.refusals, { unit: '{request}', description: 'Requests refused with 401, 403 or 429' }),
    graphThrottled: meter.createCounter(METRIC.graphThrottled, { unit: '{response}', description: 'Microsoft Graph answers 429, 503 or 504' }),
    tableFailures: meter.createCounter(METRIC.tableFailures, { unit: '{operation}', description: 'Table Storage operations that failed' }),
    auditUnwritten: meter.createCounter(METRIC.auditUnwritten, { unit: '{row}', description: 'Audit rows that could not be written' }),
    policyRefusals: meter.createCounter(METRIC.policyRefusals, { unit: '{call}', description: 'Tool calls the tool policy refused, by tool and reason' }),
  };
}

// The metrics API has no proxy: instruments made before a provider is installed would stay no-ops forever.
let cached: { readonly provider: MeterProvider; readonly instruments: Instruments } | undefined;

/** The instruments of the installed meter provider (no-ops while telemetry is off). */
export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) cached = { provider, instruments: create(provider) };
  return cached.instruments;
}
