// The ConfigError a set of settings stops the start with, for tests that check what it names and says.
import { expect } from 'vitest';
import { ConfigError } from '../../shared/config/configError.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';

export function configRefusal(env: Env): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('parseConfig accepted the settings');
}
