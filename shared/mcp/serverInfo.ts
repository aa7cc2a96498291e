// Name, version and protocol versions this server announces.
import packageJson from '../../package.json' with { type: 'json' };

export const SERVER_NAME = 'onbehalf';
export const SERVER_VERSION: string = packageJson.version;

/** Protocol versions we negotiate, newest first. */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
/** What a request without `MCP-Protocol-Version` is taken to speak (per the transport spec). */
export const DEFAULT_PROTOCOL_VERSION = '2025-03-26';
/** The last version that allowed JSON-RPC batches. */
export const BATCHING_VERSIONS: ReadonlySet<string> = new Set(['2025-03-26']);
