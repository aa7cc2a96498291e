// The process's configuration, parsed once at module load from the environment.
import { parseConfig, type Config } from './parseConfig.js';

/** Throws `ConfigError` at import when a setting is bad, so a broken deployment fails at start. */
export const config: Config = parseConfig(process.env);
