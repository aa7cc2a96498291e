// Settings only `npm start` reads (the server never does): the dev ports and the dev identity provider's options.
import * as z from 'zod';

export interface DevSettings {
  /** Wanted ports; 0 picks a free one. A wanted port that is taken falls back to a free one. */
  readonly ports: { readonly host: number; readonly idp: number; readonly graph: number; readonly tables: number; readonly blob: number; readonly queue: number };
  /** Extra redirect URIs of the dev Foundry client (a real Foundry connection's, or your own client's). */
  readonly foundryRedirectUris: readonly string[];
  readonly accessTokenLifetimeSeconds: number;
}

/** Settings `npm start` reads besides the server's (the README lists them). */
type DevSettingName = 'PORT' | 'DEV_IDP_PORT' | 'DEV_GRAPH_PORT' | 'DEV_TABLES_PORT' | 'DEV_BLOB_PORT' | 'DEV_QUEUE_PORT' | 'DEV_FOUNDRY_REDIRECT_URIS' | 'DEV_ACCESS_TOKEN_LIFETIME_SECONDS';

export class DevSettingError extends Error {
  constructor(readonly setting: string, reason: string) {
    super(`${setting} ${reason}`);
    this.name = 'DevSettingError';
  }
}

const port = z.string().regex(/^\d{1,5}$/, 'must be a TCP port (0 for any free one)').transform(Number).refine((value) => value <= 65535, 'must be a TCP port (0 for any free one)');

function read<T>(env: Readonly<Record<string, string | undefined>>, name: DevSettingName, schema: z.ZodType<T>, fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new DevSettingError(name, parsed.error.issues[0]?.message ?? 'is not valid');
  return parsed.data;
}

/** Parses the dev settings; throws `DevSettingError` naming the setting at fault. */
export function parseDevSettings(env: Readonly<Record<string, string | undefined>>): DevSettings {
  const redirectUris = z.string().transform((value, context) => {
    const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
    for (const item of items) {
      let url: URL | undefined;
      try {
        url = new URL(item);
      } catch {
        url = undefined;
      }
      const loopback = url?.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
      if (url === undefined || (url.protocol !== 'https:' && !loopback) || url.hash !== '') {
        context.addIssue({ code: 'custom', message: `must be https URLs (or http on localhost) separated by commas; not ${JSON.stringify(item)}` });
      }
    }
    return items;
  });
  return {
    ports: {
      host: read(env, 'PORT', port, 7071),
      idp: read(env, 'DEV_IDP_PORT', port, 7072),
      graph: read(env, 'DEV_GRAPH_PORT', port, 7073),
      tables: read(env, 'DEV_TABLES_PORT', port, 10002),
      blob: read(env, 'DEV_BLOB_PORT', port, 10000),
      queue: read(env, 'DEV_QUEUE_PORT', port, 10001),
    },
    foundryRedirectUris: read(env, 'DEV_FOUNDRY_REDIRECT_URIS', redirectUris, []),
    accessTokenLifetimeSeconds: read(env, 'DEV_ACCESS_TOKEN_LIFETIME_SECONDS', z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).refine((value) => value >= 30 && value <= 86_400, 'must be between 30 and 86400'), 3600),
  };
}
