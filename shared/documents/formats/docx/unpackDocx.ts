// Unpacks the XML of a .docx (a zip) counting the bytes actually inflated, per part and in all, and packs it again
// uncompressed so mammoth inflates nothing.
import { promisify } from 'node:util';
import { inflateRaw, type ZlibOptions } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { DocumentError } from '../../documentError.js';

/** One part: document.xml of a long report is a few MiB. */
export const MAX_DOCX_PART_BYTES = 8 * 1024 * 1024;
/** All XML parts together: what may sit in memory while mammoth reads them. */
export const MAX_DOCX_INFLATED_BYTES = 12 * 1024 * 1024;
/** Word writes a few dozen; thousands of empty parts would only cost time. */
export const MAX_DOCX_PARTS = 2000;

const STORED = 0;
const DEFLATED = 8;

const inflate = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

/** Text lives in XML parts; images, embedded files and fonts are never read, so never inflated. */
const TEXT_PART = /\.(?:xml|rels)$/i;

function damaged(name: string, cause?: unknown): DocumentError {
  return new DocumentError('unreadable', `${name} is not a valid .docx file`, { cause });
}

function tooLarge(name: string, detail: string): DocumentError {
  return new DocumentError('too_large', `${name} ${detail}; its text is not extracted`);
}

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
 * The XML parts of the .docx in `bytes`, inflated under `MAX_DOCX_PART_BYTES` each and
 * `MAX_DOCX_INFLATED_BYTES` in all, counted as zlib produces them (`maxOutputLength` stops it): the sizes
 * a zip declares are written by whoever made the file. Throws `DocumentError` `too_large` past a cap,
 * `unreadable` for a damaged or encrypted zip.
 */
export async function unpackDocx(bytes: Buffer, name: string): Promise<Map<string, Buffer>> {
  // Loaded on first use, as mammoth is: most instances never read a .docx.
  const { default: yauzl } = await import('yauzl');
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) => {
      yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: false }, (error, opened) => (error === null ? resolve(opened) : reject(error)));
    });
  } catch (cause) {
    throw damaged(name, cause);
  }
  if (zip.entryCount > MAX_DOCX_PARTS) throw tooLarge(name, `has more than ${MAX_DOCX_PARTS} parts`);
  const parts = new Map<string, Buffer>();
  let inflated = 0;
  try {
    for await (const entry of entriesOf(zip)) {
      if (entry.fileName.endsWith('/') || !TEXT_PART.test(entry.fileName)) continue;
      if (entry.isEncrypted()) throw damaged(name);
      const budget = Math.min(MAX_DOCX_PART_BYTES, MAX_DOCX_INFLATED_BYTES - inflated);
      // A declared size over the budget is refused at once; one under it is believed by nothing below.
      if (entry.uncompressedSize > budget) throw tooLarge(name, `unpacks to more than ${MAX_DOCX_INFLATED_BYTES} bytes`);
      const raw = await rawBytes(zip, entry);
      let part: Buffer;
      if (entry.compressionMethod === STORED) {
        if (raw.length > budget) throw tooLarge(name, `unpacks to more than ${MAX_DOCX_INFLATED_BYTES} bytes`);
        part = raw;
      } else if (entry.compressionMethod === DEFLATED) {
        try {
          part = await inflate(raw, { maxOutputLength: budget });
        } catch (cause) {
          if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(name, `unpacks to more than ${MAX_DOCX_INFLATED_BYTES} bytes`);
          throw damaged(name, cause);
        }
      } else {
        throw damaged(name);
      }
      inflated += part.length;
      parts.set(entry.fileName, part);
    }
  } catch (error) {
    throw error instanceof DocumentError ? error : damaged(name, error);
  } finally {
    zip.close();
  }
  return parts;
}

/** `parts` as a zip whose entries are stored, not compressed: what mammoth reads without inflating anything. */
export async function storedZip(parts: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  for (const [name, content] of parts) zip.file(name, content, { binary: true, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}
