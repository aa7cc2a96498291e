// The trace sampler: by default every request is kept, whatever a caller's traceparent says; an operator's
// OTEL_TRACES_SAMPLER replaces it.
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { TraceSampler } from '../../config/parseConfig.js';

/**
 * The sampler for `setting` (parsed from OTEL_TRACES_SAMPLER). Undefined: parent-based, but a remote parent
 * marked not sampled is sampled all the same: the flag is the caller's, and a caller must not be able to take
 * its requests out of the operator's view. (Application Insights' own samplers are applied by the distro.)
 */
export function traceSampler(setting: TraceSampler | undefined): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(setting?.arg ?? 1);
  switch (setting?.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
    case 'microsoft.fixed_percentage':
      return ratio();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    case 'microsoft.rate_limited':
    case undefined:
      return new ParentBasedSampler({ root: new AlwaysOnSampler(), remoteParentNotSampled: new AlwaysOnSampler() });
  }
}
