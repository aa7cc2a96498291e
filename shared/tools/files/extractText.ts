// Plain text from the file types read_file understands: text formats as they are, HTML and .docx converted by a document worker.
import { capText } from '../../documents/capText.js';
import type { DocumentText } from '../../documents/documentFormats.js';
import type { DocumentContext } from '../documentText.js';

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

/** The text of `bytes`, cut at `maxChars`. Throws `DocumentError` for HTML and .docx (see `Documents.convert`). */
export async function extractText(format: TextFormat, bytes: Buffer, name: string, maxChars: number, context: DocumentContext): Promise<DocumentText> {
  if (format === 'html' || format === 'docx') return context.documents.convert({ format, content: bytes, name, maxChars }, context.signal);
  // TextDecoder drops a UTF-8 byte order mark and replaces invalid sequences rather than failing.
  return capText(new TextDecoder('utf-8').decode(bytes), maxChars);
}
