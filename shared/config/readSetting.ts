// Reads one app setting through a zod schema, so every setting is trimmed, checked and refused the same way.
import * as z from 'zod';
import { ConfigError } from './configError.js';
import type { SettingName } from './settings.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Decimal digits only: `0x10`, `1e3`, `+5` and `16.0` are typing mistakes, not numbers. */
export const wholeNumber = (min: number, max: number) => z.string()
  .regex(/^\d{1,10}$/, 'must be a whole number written in decimal digits')
  .transform(Number)
  .pipe(z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`));

const isSet = (trimmed: string | undefined): trimmed is string => trimmed !== undefined && trimmed !== '';

/**
 * Reads one setting through its schema; a value of nothing but spaces counts as unset. Surrounding spaces are
 * trimmed unless `exact` (numbers: decimal digits only, and `" 5 "` is a typing mistake). Throws `ConfigError`
 * (`setting_invalid`) naming the setting, never its value.
 */
export function read<T>(env: Env, name: SettingName, schema: z.ZodType<T>, exact = false): T | undefined {
  const trimmed = env[name]?.trim();
  if (!isSet(trimmed)) return undefined;
  const parsed = schema.safeParse(exact ? env[name] : trimmed);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'is not valid';
    throw new ConfigError('setting_invalid', name, reason);
  }
  return parsed.data;
}

/** A whole number in decimal digits and nothing else, spaces included. Throws `ConfigError` (`setting_invalid`). */
export function readNumber(env: Env, name: SettingName, min: number, max: number): number | undefined {
  // Its schema is built only for a setting that is set: most are not, and each build is several zod schemas.
  return isSet(env[name]?.trim()) ? read(env, name, wholeNumber(min, max), true) : undefined;
}

/** Longest delay or timeout: Node's timers take at most 2³¹−1 ms and fire at once for anything longer. */
export const MAX_MILLIS = 2_147_483_647;

/**
 * A timeout in milliseconds (the OpenTelemetry specification's Timeout type). The specification reads 0 as "no
 * limit"; the SDK's processors, reader and exporters would instead give up at once or ignore it, so 0 stops the
 * start rather than mean different things in different places. Throws `ConfigError` (`setting_invalid`).
 */
export function readTimeout(env: Env, name: SettingName): number | undefined {
  if (env[name]?.trim() === '0') throw new ConfigError('setting_invalid', name, `must be at least 1 (milliseconds); 0, "no limit" in the specification, is not supported: give a limit up to ${MAX_MILLIS}`);
  return readNumber(env, name, 1, MAX_MILLIS);
}
