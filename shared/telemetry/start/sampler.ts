// The trace sampler of the OTLP pipeline, as OTEL_TRACES_SAMPLER says (shared/config gives the default when unset).
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { TraceSampler } from '../../config/parseConfig.js';

/**
 * The sampler for `setting` (parsed from OTEL_TRACES_SAMPLER). Application Insights' own samplers are applied by the
 * distro; `microsoft.rate_limited` here keeps every trace, whatever a caller's traceparent says.
 */
export function traceSampler(setting: TraceSampler): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(setting.arg ?? 1);
  switch (setting.name) {
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
      return new ParentBasedSampler({ root: new AlwaysOnSampler(), remoteParentNotSampled: new AlwaysOnSampler() });
  }
}
