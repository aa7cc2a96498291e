// Holds a PDF's compressed streams to a budget before pdf.js reads it: pdf.js inflates a stream as far as it is read
// and keeps all of it, in typed arrays no heap limit counts, so a few KiB of deflated zeros would become gigabytes.
import { createInflate } from 'node:zlib';
import { DocumentError } from '../../documentError.js';

/** Bytes the PDF's Flate streams may inflate to, in all: text, fonts and object streams of a long report are a few MiB. */
export const MAX_PDF_INFLATED_BYTES = 128 * 1024 * 1024;

/**
 * Filters whose output this check does not measure: LZW and run-length expand as Flate does, and ASCII85 or hex
 * wrapped around Flate would hide a Flate stream from it. A PDF whose `/Filter` names one is refused; PDF writers of
 * today use Flate alone (and DCT or JPX for images, which reading text never decodes).
 */
const UNMEASURED_FILTER = /^\/(?:LZWDecode|LZW|RunLengthDecode|RL|ASCII85Decode|A85|ASCIIHexDecode|AHx)$/;
/** PDF white space and comments, which may sit between a key and its value. */
const GAP = String.raw`(?:\s|%[^\r\n]*)*`;
const NAME = String.raw`\/[^\s\/\[\]<>(){}%]+`;
/** A `/Filter` and its value: one name, an array of names, or a reference to an object holding them. */
const FILTER_SPEC = new RegExp(String.raw`\/Filter${GAP}(\[[^\]]*\]|${NAME}|\d+${GAP}\d+${GAP}R)`, 'g');
/** The trailer's `/Encrypt`: a reference or a dictionary (the word alone, in some text, is not one). */
const ENCRYPT = new RegExp(String.raw`\/Encrypt${GAP}(?:\d+${GAP}\d+${GAP}R|<<)`);
/** Longest `/Filter` value followed across the chunks of an inflated stream; a longer one is refused. */
const MAX_FILTER_SPEC_CHARS = 64 * 1024;
/** What each chunk keeps of the one before it, so nothing short is split unseen between them. */
const OVERLAP_CHARS = 64;
/** The stream keyword (not `endstream`): its data starts on the next line, as pdf.js reads it. */
const STREAM_KEYWORD = /(?<!end)stream/g;

/**
 * Bytes `data` inflates to as zlib, counted as they come and stopped at `budget`; 0 when it is not zlib at all.
 * Rejects with what `onChunk` throws.
 */
function inflatedSize(data: Buffer, budget: number, onChunk: (chunk: Buffer) => void): Promise<number | 'over'> {
  return new Promise((resolve, reject) => {
    const inflater = createInflate();
    let size = 0;
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) {
        inflater.destroy();
        resolve('over');
        return;
      }
      try {
        onChunk(chunk);
      } catch (error) {
        inflater.destroy();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // pdf.js reads a damaged or truncated stream as far as it goes, and checks no checksum: what came out counts.
    inflater.once('error', () => resolve(size));
    inflater.once('end', () => resolve(size));
    inflater.end(data);
  });
}

/**
 * Throws `DocumentError` `too_large` when the Flate streams of the PDF in `bytes` inflate to more than
 * `MAX_PDF_INFLATED_BYTES` in all, `unreadable` when it is encrypted or names a filter this check cannot measure.
 * Every `stream` keyword counts, whatever the file's cross-reference table says, so no stream is missed.
 */
export async function boundPdfStreams(bytes: Buffer, name: string): Promise<void> {
  const text = bytes.toString('latin1');
  const refuse = (why: string) => new DocumentError('unreadable', `${name} ${why}; its text is not extracted`);
  /** Refuses what `content` (PDF syntax) says that cannot be measured; answers what to keep for the next chunk. */
  const names = (content: string): string => {
    // `#xx` in a name is the character it codes (`/Fil#74er` is `/Filter`), as pdf.js reads it.
    const decoded = content.includes('#') ? content.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : content;
    // Encrypted streams cannot be measured before they are decrypted.
    if (ENCRYPT.test(decoded)) throw refuse('is encrypted or password-protected');
    for (const [, spec = ''] of decoded.matchAll(FILTER_SPEC)) {
      if (/^\d/.test(spec)) throw refuse('names its compression indirectly, which this server does not read');
      if ((spec.match(new RegExp(NAME, 'g')) ?? []).some((name) => UNMEASURED_FILTER.test(name))) {
        throw refuse('uses a compression (LZW, run-length, ASCII85 or hex) this server does not read');
      }
    }
    // A `/Filter` whose value has not ended yet is kept whole for the next chunk.
    const open = decoded.lastIndexOf('/Filter');
    if (open !== -1 && !new RegExp(FILTER_SPEC.source, 'y').test(decoded.slice(open))) {
      const pending = content.slice(Math.max(0, content.length - (decoded.length - open) - OVERLAP_CHARS));
      if (pending.length > MAX_FILTER_SPEC_CHARS) throw refuse('has a filter list too long to read');
      return pending;
    }
    return content.slice(-OVERLAP_CHARS);
  };
  names(text);
  let total = 0;
  for (const match of text.matchAll(STREAM_KEYWORD)) {
    let start = match.index + match[0].length;
    const lineEnd = text.slice(start, start + 256).search(/[\r\n]/);
    if (lineEnd === -1) continue;
    start += lineEnd + (text.startsWith('\r\n', start + lineEnd) ? 2 : 1);
    // Not zlib (0x78 first, as pdf.js requires of Flate): an image or an uncompressed stream, nothing to inflate.
    if (bytes[start] !== 0x78) continue;
    // From the stream's start to the end of the file: zlib stops where the stream ends, whatever its declared length.
    let tail = '';
    const size = await inflatedSize(bytes.subarray(start), MAX_PDF_INFLATED_BYTES - total, (chunk) => {
      // Object streams hold dictionaries too: a filter named inside one counts, across the seams between chunks.
      tail = names(tail + chunk.toString('latin1'));
    });
    if (size === 'over') throw new DocumentError('too_large', `${name} unpacks to more than ${MAX_PDF_INFLATED_BYTES} bytes; its text is not extracted`);
    total += size;
  }
}
