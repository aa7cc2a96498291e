// Plain text from the file types read_file understands: text formats as they are, HTML stripped, .docx via mammoth.
import { GraphError } from '../../graph/graphError.js';
import { htmlText } from '../plainText.js';
import { storedZip, unpackDocx } from './unpackDocx.js';

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

async function docxText(bytes: Buffer, name: string): Promise<string> {
  // mammoth gets a zip with nothing left to inflate: the bytes it reads were counted by unpackDocx.
  const stored = await storedZip(await unpackDocx(bytes, name));
  try {
    // Loaded on first use: most instances never read a .docx, and the library is a sizeable share of memory.
    const { default: mammoth } = await import('mammoth');
    return (await mammoth.extractRawText({ buffer: stored })).value;
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
  return htmlText(text);
}
