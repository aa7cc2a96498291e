// A PDF to plain text in a document worker: pdf.js (its legacy build for Node, in this thread: no worker of its own,
// no network, no system fonts; pdf.js 6 has no eval path left), page by page, after its compressed streams are held to a budget.
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DocumentError } from '../../documentError.js';
import type { DocumentText } from '../../documentFormats.js';
import { TextOut } from '../zip/textOut.js';
import { boundPdfStreams } from './boundPdfStreams.js';

/** More pages than this is refused: a PDF declares its page count in one number. */
export const MAX_PDF_PAGES = 2000;

interface TextItem {
  readonly str?: string;
  readonly hasEOL?: boolean;
}

/** pdf.js, loaded once per worker, with its worker code run in this thread (the document worker is already off the event loop). */
async function loadPdfjs(): Promise<typeof Pdfjs> {
  const global = globalThis as { pdfjsWorker?: unknown };
  global.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  return import('pdfjs-dist/legacy/build/pdf.mjs');
}

/** Throws `DocumentError` `unreadable` for a damaged or encrypted PDF, `too_large` past a cap. */
export async function pdfText(content: Uint8Array, name: string, maxChars: number): Promise<DocumentText> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  await boundPdfStreams(bytes, name);
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // A copy: pdf.js may take over the buffer it is given.
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
    useWorkerFetch: false,
    useWasm: false,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    // Images are never decoded for text; this keeps any that would be to nothing.
    maxImageSize: 0,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    let document: Awaited<typeof task.promise>;
    try {
      document = await task.promise;
    } catch (cause) {
      const password = (cause as { name?: string }).name === 'PasswordException';
      throw new DocumentError('unreadable', `${name} ${password ? 'is password-protected' : 'is not a valid PDF file'}`, { cause });
    }
    if (document.numPages > MAX_PDF_PAGES) throw new DocumentError('too_large', `${name} has more than ${MAX_PDF_PAGES} pages; its text is not extracted`);
    const out = new TextOut(maxChars);
    for (let number = 1; number <= document.numPages && !out.full(); number++) {
      const page = await document.getPage(number);
      const { items } = await page.getTextContent();
      const text = (items as TextItem[]).map((item) => (item.str ?? '') + (item.hasEOL === true ? '\n' : '')).join('').trim();
      page.cleanup();
      out.line(`## Page ${number}`);
      if (text !== '') out.line(text);
      out.line('');
    }
    return out.done();
  } finally {
    await task.destroy();
  }
}
