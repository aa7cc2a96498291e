// Name, version and protocol versions this server announces.
import packageJson from '../../package.json' with { type: 'json' };

export const SERVER_NAME = 'onbehalf';
export const SERVER_VERSION: string = packageJson.version;

/** The stateless revision: `_meta` on every request, `server/discover` instead of `initialize`. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
/** The 2025-era versions `initialize` negotiates, newest first (a client asking for another gets the first). */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
/** Every version served, newest first: what the SDK's server is told it speaks. */
export const ALL_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION, ...PROTOCOL_VERSIONS];
/** What a 2025-era request without `MCP-Protocol-Version` is taken to speak (per the transport spec). */
export const DEFAULT_PROTOCOL_VERSION = '2025-03-26';
/** The last version that allowed JSON-RPC batches. */
export const BATCHING_VERSIONS: ReadonlySet<string> = new Set(['2025-03-26']);
