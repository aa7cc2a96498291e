// A zip (an Office file) opened under caps: its entry count checked at once, each part inflated only when asked for,
// counted as zlib produces it, per part and in all. The sizes a zip declares are written by whoever made the file.
import { promisify } from 'node:util';
import { createInflateRaw, inflateRaw, type ZlibOptions } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { DocumentError } from '../../documentError.js';

export interface ZipLimits {
  /** Entries in the directory, at most. */
  readonly maxEntries: number;
  /** Bytes one part may inflate to. */
  readonly maxPartBytes: number;
  /** Bytes all parts read may inflate to together. */
  readonly maxTotalBytes: number;
}

export interface OpenZip {
  /** Entry names (folders left out), in directory order. */
  readonly names: readonly string[];
  /** The inflated bytes of `name`, or undefined when the zip has no such part. Throws `DocumentError` `too_large` past a cap, `unreadable` when damaged. */
  read(name: string): Promise<Buffer | undefined>;
  /**
   * Hands the part `name` to `onChunk` as it inflates, until `onChunk` answers true (enough read) or the part ends;
   * false when the zip has no such part. The caps hold for what is inflated, so a large part can still yield its
   * beginning. Throws `DocumentError` `too_large` past a cap, `unreadable` when damaged, and what `onChunk` throws.
   */
  stream(name: string, onChunk: (chunk: Buffer) => boolean): Promise<boolean>;
  /** Bytes inflated so far. */
  inflated(): number;
  close(): void;
}

/** What a stored part is handed on in: the size zlib's own stream chunks have. */
const CHUNK_BYTES = 16 * 1024;

const STORED = 0;
const DEFLATED = 8;

const inflate = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

/** The compressed bytes of one entry, as stored in the zip (bounded by the zip's own size). */
function rawBytes(zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, { decodeFileData: false }, (error, stream) => {
      if (error !== null) return reject(error);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', reject);
      stream.once('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** Every entry of the zip, one at a time. */
async function* entriesOf(zip: ZipFile): AsyncGenerator<Entry> {
  for (;;) {
    const next = await new Promise<Entry | undefined>((resolve, reject) => {
      const onEntry = (entry: Entry) => { zip.off('end', onEnd); zip.off('error', reject); resolve(entry); };
      const onEnd = () => { zip.off('entry', onEntry); zip.off('error', reject); resolve(undefined); };
      zip.once('entry', onEntry);
      zip.once('end', onEnd);
      zip.once('error', reject);
      zip.readEntry();
    });
    if (next === undefined) return;
    yield next;
  }
}

/**
 * Opens the zip in `bytes` (`kind` names the format in errors: ".xlsx"). Throws `DocumentError` `too_large` for
 * more entries than `limits.maxEntries`, `unreadable` for a damaged zip.
 */
export async function openZip(bytes: Buffer, name: string, kind: string, limits: ZipLimits): Promise<OpenZip> {
  const damaged = (cause?: unknown) => new DocumentError('unreadable', `${name} is not a valid ${kind} file`, { cause });
  const tooLarge = (detail: string) => new DocumentError('too_large', `${name} ${detail}; its text is not extracted`);
  // Loaded on first use: most instances never read an Office file.
  const { default: yauzl } = await import('yauzl');
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) => {
      yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: false, autoClose: false }, (error, opened) => (error === null ? resolve(opened) : reject(error)));
    });
  } catch (cause) {
    throw damaged(cause);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw tooLarge(`has more than ${limits.maxEntries} parts`);
  }
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of entriesOf(zip)) {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
    }
  } catch (cause) {
    zip.close();
    throw damaged(cause);
  }
  let inflated = 0;
  const overBudget = () => tooLarge(`unpacks to more than ${limits.maxTotalBytes} bytes`);
  return {
    names: [...entries.keys()],
    inflated: () => inflated,
    close: () => zip.close(),
    async read(partName) {
      const entry = entries.get(partName);
      if (entry === undefined) return undefined;
      if (entry.isEncrypted()) throw damaged();
      const budget = Math.min(limits.maxPartBytes, limits.maxTotalBytes - inflated);
      if (budget <= 0) throw overBudget();
      // A declared size over the budget is refused at once; one under it is believed by nothing below.
      if (entry.uncompressedSize > budget) throw overBudget();
      let raw: Buffer;
      try {
        raw = await rawBytes(zip, entry);
      } catch (cause) {
        throw damaged(cause);
      }
      let part: Buffer;
      if (entry.compressionMethod === STORED) {
        if (raw.length > budget) throw overBudget();
        part = raw;
      } else if (entry.compressionMethod === DEFLATED) {
        try {
          part = await inflate(raw, { maxOutputLength: budget });
        } catch (cause) {
          if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw overBudget();
          throw damaged(cause);
        }
      } else {
        throw damaged();
      }
      inflated += part.length;
      return part;
    },
    async stream(partName, onChunk) {
      const entry = entries.get(partName);
      if (entry === undefined) return false;
      if (entry.isEncrypted() || (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED)) throw damaged();
      let raw: Buffer;
      try {
        raw = await rawBytes(zip, entry);
      } catch (cause) {
        throw damaged(cause);
      }
      let partBytes = 0;
      /** Counts `chunk`; true when reading stops here. */
      const take = (chunk: Buffer): boolean => {
        partBytes += chunk.length;
        inflated += chunk.length;
        if (partBytes > limits.maxPartBytes || inflated > limits.maxTotalBytes) throw overBudget();
        return onChunk(chunk);
      };
      if (entry.compressionMethod === STORED) {
        for (let offset = 0; offset < raw.length; offset += CHUNK_BYTES) {
          if (take(raw.subarray(offset, offset + CHUNK_BYTES))) break;
        }
        return true;
      }
      await new Promise<void>((resolve, reject) => {
        const inflater = createInflateRaw();
        inflater.on('data', (chunk: Buffer) => {
          try {
            if (!take(chunk)) return;
            inflater.destroy();
            resolve();
          } catch (error) {
            inflater.destroy();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        inflater.once('error', (cause) => reject(damaged(cause)));
        inflater.once('end', resolve);
        inflater.end(raw);
      });
      return true;
    },
  };
}
