// The server's metric instruments, created from whichever meter provider is installed when they are first used.
import { metrics, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { METRIC, SCOPE_NAME } from '../attributes/names.js';

export interface Instruments {
  readonly operationDuration: Histogram;
  readonly toolCalls: Counter;
  readonly oboExchanges: Counter;
  readonly refusals: Counter;
  readonly graphThrottled: Counter;
  readonly tableFailures: Counter;
  readonly auditUnwritten: Counter;
  readonly policyRefusals: Counter;
}

// The MCP semantic conventions' advice for operation durations, in seconds.
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

function create(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(SCOPE_NAME);
  return {
    operationDuration: meter.createHistogram(METRIC.operationDuration, {
      unit: 's',
      description: 'MCP request duration as the server saw it, from arrival to answer',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    toolCalls: meter.createCounter(METRIC.toolCalls, { unit: '{call}', description: 'tools/call requests by tool and outcome' }),
    oboExchanges: meter.createCounter(METRIC.oboExchanges, { unit: '{exchange}', description: 'On-Behalf-Of token requests, served from cache or from Entra ID' }),
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
