// The error a bad setting raises at start; it names the setting, never its value.

export type ConfigErrorCode = 'setting_invalid' | 'setting_missing' | 'setting_conflict' | 'dev_mode_in_azure';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly setting: string;

  constructor(code: ConfigErrorCode, setting: string, message: string, options?: { cause?: unknown }) {
    super(`${setting}: ${message}`, options);
    this.code = code;
    this.setting = setting;
  }
}
