// MCP_CONFIRM_WRITES and the requestState keys: whether the person confirms before a tool acts, and what seals
// the state a multi-round request carries through the client.
import * as z from 'zod';
import { ConfigError } from './configError.js';
import { DEV_REQUEST_STATE_KEY } from './devDefaults.js';
import type { SettingName } from './settings.js';

/** The least key length: HMAC-SHA256 wants at least its output's 32 bytes, and the SDK's codec refuses less. */
export const MIN_STATE_KEY_BYTES = 32;

export interface AskSettings {
  /** `elicit`: tools that send, post, forward or delete ask the person first, where the client can ask; `off`: never. */
  readonly confirmWrites: 'elicit' | 'off';
  /**
   * What seals `requestState`: `current` signs and verifies, `previous` (during a rotation) only verifies. Undefined
   * when no key is set and confirmation is off: a consent round then carries no state.
   */
  readonly stateKeys: { readonly current: string; readonly previous: string | undefined } | undefined;
}

type Read = <T>(name: SettingName, schema: z.ZodType<T>) => T | undefined;

const key = z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= MIN_STATE_KEY_BYTES, {
  message: `must be at least ${MIN_STATE_KEY_BYTES} bytes of random text, e.g. the output of \`openssl rand -base64 48\``,
});

/**
 * Reads the settings; `read` is the config's own reader (a bad value names its setting). Throws `ConfigError`
 * (`setting_missing`) when confirmation is on outside dev mode and no key is set, and (`setting_invalid`) when the
 * previous key equals the current one or is set alone.
 */
export function readAskSettings(read: Read, devMode: boolean): AskSettings {
  const confirmWrites = read('MCP_CONFIRM_WRITES', z.enum(['elicit', 'off'], { error: 'must be elicit or off' })) ?? 'elicit';
  const current = read('MCP_REQUEST_STATE_KEY', key);
  const previous = read('MCP_REQUEST_STATE_KEY_PREVIOUS', key);
  if (previous !== undefined && current === undefined) {
    throw new ConfigError('setting_invalid', 'MCP_REQUEST_STATE_KEY_PREVIOUS', 'is only read beside MCP_REQUEST_STATE_KEY (set the new key there, the old one here)');
  }
  if (previous !== undefined && previous === current) {
    throw new ConfigError('setting_invalid', 'MCP_REQUEST_STATE_KEY_PREVIOUS', 'is the same as MCP_REQUEST_STATE_KEY; it holds the key being retired');
  }
  if (current !== undefined) return { confirmWrites, stateKeys: { current, previous } };
  // Dev mode never runs in Azure: its key is as public as its client secret.
  if (devMode) return { confirmWrites, stateKeys: { current: DEV_REQUEST_STATE_KEY, previous: undefined } };
  if (confirmWrites === 'off') return { confirmWrites, stateKeys: undefined };
  throw new ConfigError('setting_missing', 'MCP_REQUEST_STATE_KEY', 'is required while MCP_CONFIRM_WRITES=elicit (the default): it seals the confirmation a request carries through the client. Set it to a Key Vault reference or 48 random bytes in base64, or set MCP_CONFIRM_WRITES=off');
}
