// Unpacks the XML of a .docx (a zip) counting the bytes actually inflated, per part and in all, and packs it again
// uncompressed so mammoth inflates nothing.
import { openZip } from '../zip/openZip.js';

/** One part: document.xml of a long report is a few MiB. */
export const MAX_DOCX_PART_BYTES = 8 * 1024 * 1024;
/** All XML parts together: what may sit in memory while mammoth reads them. */
export const MAX_DOCX_INFLATED_BYTES = 12 * 1024 * 1024;
/** Word writes a few dozen; thousands of empty parts would only cost time. */
export const MAX_DOCX_PARTS = 2000;

/** Text lives in XML parts; images, embedded files and fonts are never read, so never inflated. */
const TEXT_PART = /\.(?:xml|rels)$/i;

/**
 * The XML parts of the .docx in `bytes`, inflated under `MAX_DOCX_PART_BYTES` each and
 * `MAX_DOCX_INFLATED_BYTES` in all, counted as zlib produces them (`maxOutputLength` stops it): the sizes
 * a zip declares are written by whoever made the file. Throws `DocumentError` `too_large` past a cap,
 * `unreadable` for a damaged or encrypted zip.
 */
export async function unpackDocx(bytes: Buffer, name: string): Promise<Map<string, Buffer>> {
  const zip = await openZip(bytes, name, '.docx', { maxEntries: MAX_DOCX_PARTS, maxPartBytes: MAX_DOCX_PART_BYTES, maxTotalBytes: MAX_DOCX_INFLATED_BYTES });
  const parts = new Map<string, Buffer>();
  try {
    for (const part of zip.names.filter((candidate) => TEXT_PART.test(candidate))) {
      const content = await zip.read(part);
      if (content !== undefined) parts.set(part, content);
    }
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
