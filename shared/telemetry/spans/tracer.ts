// The tracer spans are started from, looked up per span so a provider installed (or replaced) later is the one used.
import { trace, type Tracer } from '@opentelemetry/api';
import { SCOPE_NAME } from '../attributes/names.js';

/** Only called while telemetry is active: the SDK's provider hands back its cached tracer. */
export function serverTracer(): Tracer {
  return trace.getTracer(SCOPE_NAME);
}
