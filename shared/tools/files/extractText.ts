// Plain text from the file types read_file understands: text formats as they are, HTML stripped, .docx via mammoth.
import { GraphError } from '../../graph/graphError.js';

export const TEXT_FORMATS = ['text', 'markdown', 'csv', 'json', 'xml', 'html', 'docx'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, TextFormat>> = {
  txt: 'text', text: 'text', log: 'text', md: 'markdown', markdown: 'markdown', csv: 'csv', json: 'json',
  xml: 'xml', html: 'html', htm: 'html', docx: 'docx',
};

const BY_MIME_TYPE: Readonly<Record<string, TextFormat>> = {
  'text/plain': 'text', 'text/markdown': 'markdown', 'text/csv': 'csv', 'application/json': 'json',
  'application/xml': 'xml', 'text/xml': 'xml', 'text/html': 'html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** The format to extract, from the name's extension first (Graph's mimeType is often generic), or undefined. */
export function formatOf(name: string | null | undefined, mimeType: string | null | undefined): TextFormat | undefined {
  const extension = /\.([^.]+)$/.exec(name ?? '')?.[1]?.toLowerCase();
  return (extension === undefined ? undefined : BY_EXTENSION[extension]) ?? BY_MIME_TYPE[(mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''];
}

// A .docx is a zip: a few MiB can inflate to gigabytes, so the declared sizes are checked before mammoth inflates anything.
const MAX_DOCX_INFLATED_BYTES = 64 * 1024 * 1024;

/** Sum of the uncompressed sizes a zip's central directory declares; undefined when it is not a zip. */
function declaredInflatedBytes(zip: Buffer): number | undefined {
  const searchFrom = Math.max(0, zip.length - 22 - 0xffff);
  for (let end = zip.length - 22; end >= searchFrom; end--) {
    if (zip.readUInt32LE(end) !== 0x06054b50) continue;
    const entries = zip.readUInt16LE(end + 10);
    let offset = zip.readUInt32LE(end + 16);
    let total = 0;
    for (let index = 0; index < entries; index++) {
      if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) return undefined;
      const size = zip.readUInt32LE(offset + 24);
      // 0xffffffff defers to a zip64 record: far beyond anything a .docx under the download cap needs.
      total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
      offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    }
    return total;
  }
  return undefined;
}

async function docxText(bytes: Buffer, name: string): Promise<string> {
  const inflated = bytes.length < 22 ? undefined : declaredInflatedBytes(bytes);
  if (inflated === undefined) throw new GraphError('bad_request', `${name} is not a valid .docx file`);
  if (inflated > MAX_DOCX_INFLATED_BYTES) {
    throw new GraphError('too_large', `${name} unpacks to more than ${MAX_DOCX_INFLATED_BYTES} bytes; read_file does not extract it`);
  }
  try {
    // Loaded on first use: most instances never read a .docx, and the library is a sizeable share of memory.
    const { default: mammoth } = await import('mammoth');
    return (await mammoth.extractRawText({ buffer: bytes })).value;
  } catch (cause) {
    throw new GraphError('bad_request', `${name} could not be read as a .docx file`, { cause });
  }
}

/** Throws `GraphError` `bad_request` for a damaged .docx, `too_large` for one that unpacks too large. */
export async function extractText(format: TextFormat, bytes: Buffer, name: string): Promise<string> {
  if (format === 'docx') return docxText(bytes, name);
  // TextDecoder drops a UTF-8 byte order mark and replaces invalid sequences rather than failing.
  const text = new TextDecoder('utf-8').decode(bytes);
  if (format !== 'html') return text;
  const { convert } = await import('html-to-text');
  return convert(text, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] });
}
