// "What's on my calendar today": sign in, call onbehalf's list_events as that user, print the events.
import { spawn } from 'node:child_process';
import { ServerCallError, listEvents, type CalendarEvent } from './callServer.js';
import { devServer, relaunchTrusting } from './devServer.js';
import { parseFlags, resolveSettings, SettingsError, USAGE, type Settings } from './settings.js';
import { SignInError, signIn, type SignInOptions, type SignedIn } from './signIn.js';
import { TokenCacheError } from './tokenCache.js';

export interface Output {
  /** The result: the user and their events. */
  out(line: string): void;
  /** Everything else: where to sign in, notes, errors. */
  err(line: string): void;
}

const SOURCES: Record<SignedIn['source'], string> = {
  cache: 'cached token',
  refresh: 'token refreshed from the cache, no sign-in',
  browser: 'signed in with the browser',
  'device-code': 'signed in with a device code',
};

function eventLine(event: CalendarEvent): string {
  const time = (value: string) => value.split('T')[1]?.slice(0, 5) ?? value;
  const when = event.isAllDay ? 'all day    ' : `${time(event.start)}-${time(event.end)}`;
  const flags = [event.isCancelled && 'cancelled', event.showAs !== 'busy' && event.showAs].filter(Boolean).join(', ');
  return `  ${when}  ${event.subject || '(no subject)'}${event.location ? ` @ ${event.location}` : ''}${flags ? ` [${flags}]` : ''}`;
}

/** Signs in (from the cache when it can), lists the day's events as that user and prints them. */
export async function showCalendar(settings: Settings, output: Output, signInOptions: Omit<SignInOptions, 'onModeRepaired'>): Promise<SignedIn> {
  const user = await signIn(settings, {
    ...signInOptions,
    onModeRepaired: (path, mode) => output.err(`Note: ${path} was readable by others (mode ${mode.toString(8)}); it is now 600.`),
  });
  output.out(`Signed in as ${user.name ?? user.username} <${user.username}> (${SOURCES[user.source]})`);
  const events = await listEvents(settings, user.accessToken);
  output.out(`Calendar for ${settings.day.label} (${settings.timeZone}), from ${settings.mcpUrl.href}:`);
  output.out(events.length === 0 ? '  nothing scheduled' : events.map(eventLine).join('\n'));
  return user;
}

/** Prints the sign-in URL, and opens it where a desktop can. */
async function openBrowser(url: string): Promise<void> {
  console.error(`\nSign in at:\n\n  ${url}\n\nWaiting for the sign-in to finish…`);
  const opener = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  const [command = '', ...args] = opener;
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** The command line: returns the exit code. */
export async function main(argv: readonly string[], output: Output = { out: (line) => console.log(line), err: (line) => console.error(line) }): Promise<number> {
  try {
    const args = parseFlags(argv);
    if (args.values['help'] === true) {
      output.out(USAGE);
      return 0;
    }
    let base = {};
    if (args.dev) {
      const dev = devServer(process.cwd());
      if (process.env['NODE_EXTRA_CA_CERTS'] !== dev.caCertPath) return await relaunchTrusting(dev.caCertPath);
      base = dev;
    }
    const settings = resolveSettings(args, base);
    await showCalendar(settings, output, { openBrowser, onDeviceCode: (prompt) => output.err(`\n${prompt.message}\n`) });
    return 0;
  } catch (error) {
    if (error instanceof SettingsError) {
      output.err(`example:code-first: ${error.message}`);
      if (error.code === 'usage') output.err(USAGE);
      return 2;
    }
    if (error instanceof SignInError || error instanceof ServerCallError || error instanceof TokenCacheError) {
      output.err(`example:code-first: ${error.message}`);
      return 1;
    }
    // MSAL's errors name the identity provider's refusal (AADSTS code included) and carry no token.
    const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    output.err(`example:code-first: the sign-in or the call failed: ${described.split('\n')[0] ?? ''}`);
    return 1;
  }
}
