// Refusal log lines go through a token bucket per kind, and what was held back is summed up once a period.
import { describe, expect, it } from 'vitest';
import { createLogThrottle } from '../../shared/log/logThrottle.js';
import type { LogFields, Logger } from '../../shared/log/logger.js';

function recorder(): { log: Logger; warnings: { message: string; fields: LogFields | undefined }[] } {
  const warnings: { message: string; fields: LogFields | undefined }[] = [];
  return { log: { info: () => {}, warn: (message, fields) => warnings.push({ message, fields }), error: () => {} }, warnings };
}

describe('createLogThrottle', () => {
  it('admits a burst, then about one line a second, and sums up what it held back once a minute', () => {
    let time = 1_000_000;
    const throttle = createLogThrottle({ burst: 5, perSecond: 1, summaryEveryMs: 60_000, now: () => time });
    const { log, warnings } = recorder();
    let admitted = 0;
    for (let i = 0; i < 10_000; i += 1) if (throttle.admit('token_malformed', log)) admitted += 1;
    expect(admitted).toBe(5);
    expect(warnings).toEqual([]);

    time += 60_000;
    expect(throttle.admit('token_malformed', log)).toBe(true);
    expect(warnings).toEqual([{ message: 'log lines suppressed', fields: { kind: 'token_malformed', suppressed: 9_995, seconds: 60 } }]);
  });

  it('keeps one bucket per kind: a flood of one code does not silence another', () => {
    const throttle = createLogThrottle({ burst: 2, perSecond: 0, now: () => 0 });
    const { log } = recorder();
    for (let i = 0; i < 100; i += 1) throttle.admit('token_malformed', log);
    expect(throttle.admit('origin_not_allowed', log)).toBe(true);
  });

  it('writes at most burst + rate × time lines, plus one summary a minute, however long a flood lasts', () => {
    let time = 0;
    const throttle = createLogThrottle({ burst: 20, perSecond: 1, summaryEveryMs: 60_000, now: () => time });
    const { log, warnings } = recorder();
    let admitted = 0;
    // Ten minutes of 1,000 refusals a second.
    for (let second = 0; second < 600; second += 1) {
      for (let i = 0; i < 1000; i += 1) if (throttle.admit('signature_invalid', log)) admitted += 1;
      time += 1000;
    }
    expect(admitted).toBeLessThanOrEqual(20 + 600);
    expect(warnings.length).toBeLessThanOrEqual(10);
    // A minute later, the next line brings the last summary: every line was written or counted.
    time += 60_000;
    if (throttle.admit('signature_invalid', log)) admitted += 1;
    const summed = warnings.reduce((sum, warning) => sum + Number(warning.fields?.['suppressed']), 0);
    expect(summed + admitted).toBe(600_001);
  });
});
