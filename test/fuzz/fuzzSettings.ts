// How long the property-based suites run: a fixed seed and modest counts in `npm test`; `npm run fuzz` runs
// each property longer (FUZZ_RUNS runs, FUZZ_SEED or a fresh seed), printing the seed to replay it with.
import type fc from 'fast-check';

/** The seed of `npm test`: every run tries the same cases, so a failure there is reproducible as is. */
const DEFAULT_SEED = 20_250_901;
/** Set by `npm run fuzz` (vitest.fuzz.config.ts): `LONG_FACTOR` times each property's runs, unless FUZZ_RUNS says. */
const LONG = process.env['FUZZ_LONG'] === '1';
const LONG_FACTOR = 20;

function numberFrom(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

const seed = numberFrom('FUZZ_SEED') ?? (LONG ? Math.floor(Math.random() * 2 ** 31) : DEFAULT_SEED);
const runs = numberFrom('FUZZ_RUNS');
if (LONG || process.env['FUZZ_SEED'] !== undefined) console.log(`fuzz: seed ${seed}${runs === undefined ? '' : `, ${runs} runs per property`} (replay: FUZZ_SEED=${seed} npm run fuzz)`);

/**
 * fast-check's parameters for a property: the run's seed (fast-check prints it, with the path of the
 * failing case, in the error) and its count of runs.
 */
export function fuzzParameters<Ts>(defaultRuns: number): fc.Parameters<Ts> {
  return { seed, numRuns: runs ?? (LONG ? defaultRuns * LONG_FACTOR : defaultRuns) };
}

/** The timeout of a test running a property: generous, since shrinking a failure takes more runs. */
export const FUZZ_TEST_TIMEOUT_MS = LONG ? 24 * 3_600_000 : 180_000;

/** Cases each file generated (one per JSON-RPC message, tool call or request sent), printed by `npm run fuzz` or with FUZZ_COUNT=1. */
export function caseCounter(name: string): { add(count: number): void; report(): void } {
  let total = 0;
  return {
    add: (count) => {
      total += count;
    },
    report: () => {
      if (LONG || process.env['FUZZ_COUNT'] === '1') console.log(`fuzz: ${name}: ${total} generated cases`);
    },
  };
}
