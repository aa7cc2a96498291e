// Plain text from the file types read_file and read_attachment understand: text formats as they are, HTML, Office
// files and PDF converted by a document worker.
import { capText } from '../../documents/capText.js';
import type { DocumentFormat, DocumentText } from '../../documents/documentFormats.js';
import type { DocumentContext } from '../documentText.js';

export const TEXT_FORMATS = ['text', 'markdown', 'csv', 'json', 'xml', 'html', 'docx', 'xlsx', 'pptx', 'pdf'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, TextFormat>> = {
  txt: 'text', text: 'text', log: 'text', md: 'markdown', markdown: 'markdown', csv: 'csv', json: 'json',
  xml: 'xml', html: 'html', htm: 'html', docx: 'docx', xlsx: 'xlsx', pptx: 'pptx', pdf: 'pdf',
};

const BY_MIME_TYPE: Readonly<Record<string, TextFormat>> = {
  'text/plain': 'text', 'text/markdown': 'markdown', 'text/csv': 'csv', 'application/json': 'json',
  'application/xml': 'xml', 'text/xml': 'xml', 'text/html': 'html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/pdf': 'pdf',
};

/** The formats a document worker converts; the rest are text as it is. */
const CONVERTED: ReadonlySet<TextFormat> = new Set(['html', 'docx', 'xlsx', 'pptx', 'pdf']);

/** The format to extract, from the name's extension first (Graph's mimeType is often generic), or undefined. */
export function formatOf(name: string | null | undefined, mimeType: string | null | undefined): TextFormat | undefined {
  const extension = /\.([^.]+)$/.exec(name ?? '')?.[1]?.toLowerCase();
  return (extension === undefined ? undefined : BY_EXTENSION[extension]) ?? BY_MIME_TYPE[(mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''];
}

const isConverted = (format: TextFormat): format is TextFormat & DocumentFormat => CONVERTED.has(format);

/** The text of `bytes`, cut at `maxChars`. Throws `DocumentError` for the converted formats (see `Documents.convert`). */
export async function extractText(format: TextFormat, bytes: Buffer, name: string, maxChars: number, context: DocumentContext): Promise<DocumentText> {
  if (isConverted(format)) return context.documents.convert({ format, content: bytes, name, maxChars }, context.signal);
  // TextDecoder drops a UTF-8 byte order mark and replaces invalid sequences rather than failing.
  return capText(new TextDecoder('utf-8').decode(bytes), maxChars);
}
