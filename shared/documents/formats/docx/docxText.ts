// A .docx to plain text in a document worker: its XML unpacked under caps, then read by mammoth.
import { capText } from '../../capText.js';
import { DocumentError } from '../../documentError.js';
import type { DocumentText } from '../../documentFormats.js';
import { storedZip, unpackDocx } from './unpackDocx.js';

/** Throws `DocumentError` `unreadable` for a damaged .docx, `too_large` for one that unpacks too large. */
export async function docxText(content: Uint8Array, name: string, maxChars: number): Promise<DocumentText> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  // mammoth gets a zip with nothing left to inflate: the bytes it reads were counted by unpackDocx.
  const stored = await storedZip(await unpackDocx(bytes, name));
  let text: string;
  try {
    const { default: mammoth } = await import('mammoth');
    text = (await mammoth.extractRawText({ buffer: stored })).value;
  } catch (cause) {
    if (cause instanceof RangeError) throw cause;
    throw new DocumentError('unreadable', `${name} could not be read as a .docx file`, { cause });
  }
  return capText(text, maxChars);
}
