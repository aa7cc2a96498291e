// MSAL's token cache kept in a file only its owner can read (0600): refresh tokens are as good as a sign-in.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

export type TokenCacheErrorCode = 'cache_not_owned' | 'cache_not_a_file';

export class TokenCacheError extends Error {
  constructor(readonly code: TokenCacheErrorCode, message: string) {
    super(message);
    this.name = 'TokenCacheError';
  }
}

export interface FileCacheOptions {
  /** Told when a cache file readable by others was found and narrowed to 0600. */
  readonly onModeRepaired?: (path: string, previousMode: number) => void;
}

// Permission bits mean nothing on Windows; the file there sits in the user's profile, which only they can read.
const POSIX = process.platform !== 'win32';

/**
 * Reads the cache file, or undefined when there is none. Refuses a file another user owns (they could have
 * planted tokens of their own); narrows a file others can read to 0600 before reading it. Throws
 * `TokenCacheError` `cache_not_owned` and `cache_not_a_file`.
 */
export async function readCacheFile(path: string, options: FileCacheOptions = {}): Promise<string | undefined> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new TokenCacheError('cache_not_a_file', `${path} is not a file`);
    if (POSIX) {
      if (stat.uid !== process.getuid?.()) throw new TokenCacheError('cache_not_owned', `${path} belongs to another user: refusing to use tokens from it`);
      const mode = stat.mode & 0o777;
      if ((mode & 0o077) !== 0) {
        await file.chmod(0o600);
        options.onModeRepaired?.(path, mode);
      }
    }
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

/** Writes the cache whole: a new 0600 file beside it, then renamed over it, so no reader ever sees half of one. */
export async function writeCacheFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(contents, 'utf8');
    // The mode given to open is narrowed by the umask, never widened; set it outright all the same.
    if (POSIX) await file.chmod(0o600);
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  if (POSIX) await chmod(path, 0o600);
}

/** An MSAL cache plugin over one file: loaded before each token operation, saved after one that changed it. */
export function fileCachePlugin(path: string, options: FileCacheOptions = {}): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const contents = await readCacheFile(path, options);
      if (contents !== undefined) context.tokenCache.deserialize(contents);
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) await writeCacheFile(path, context.tokenCache.serialize());
    },
  };
}
