// Tests of the real entry points, whose config singleton parses process.env when first imported: they set the
// process's settings to exactly theirs, and put the caller's back afterwards.
import { HOSTING_VARIABLES } from '../../shared/config/hosting.js';
import { SETTINGS } from '../../shared/config/settings.js';

/**
 * Clears every setting and hosting variable, then sets `env`, plus any `extraNames` (cleared first, too).
 * Returns the function that restores what was there before.
 */
export function replaceProcessSettings(env: Readonly<Record<string, string | undefined>>, extraNames: readonly string[] = []): () => void {
  const saved = new Map<string, string | undefined>();
  for (const name of new Set([...Object.keys(SETTINGS), ...HOSTING_VARIABLES, ...extraNames, ...Object.keys(env)])) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
