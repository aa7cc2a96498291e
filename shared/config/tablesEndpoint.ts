// Where a Table Storage connection string points, so the local emulator is told apart from a real account by its host.

/** The endpoint `UseDevelopmentStorage=true` means (Azurite's Table service). */
const DEVELOPMENT_STORAGE = 'http://127.0.0.1:10002/devstoreaccount1';

function fields(connectionString: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) map.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  return map;
}

/**
 * The Table endpoint a connection string names: `TableEndpoint`, or the account's default endpoint, or the
 * emulator's for `UseDevelopmentStorage=true`. Undefined when it names none.
 */
export function connectionStringEndpoint(connectionString: string): URL | undefined {
  const map = fields(connectionString);
  let endpoint: string | undefined;
  if (map.get('usedevelopmentstorage')?.toLowerCase() === 'true') endpoint = DEVELOPMENT_STORAGE;
  else if (map.get('tableendpoint')) endpoint = map.get('tableendpoint');
  else if (map.get('accountname')) {
    endpoint = `${map.get('defaultendpointsprotocol') ?? 'https'}://${map.get('accountname')}.table.${map.get('endpointsuffix') ?? 'core.windows.net'}`;
  }
  if (endpoint === undefined) return undefined;
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `localhost`, `127.0.0.0/8` or `[::1]`: a name that cannot leave the machine. `hostname` as `URL.hostname` gives it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
