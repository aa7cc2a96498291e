// Runs one job in a document worker: the format's converter, loaded on first use, and its failures as typed codes.
import { DocumentError } from '../documentError.js';
import type { DocumentFormat, DocumentText } from '../documentFormats.js';
import type { DocumentJob, DocumentReply } from '../documentJob.js';

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? new TextEncoder().encode(content) : content);

type Converter = (job: DocumentJob) => Promise<DocumentText>;

/** One converter per format, loaded on first use: a new format adds its line here and its input cap in documentFormats.ts. */
const CONVERTERS: Readonly<Record<DocumentFormat, () => Promise<Converter>>> = {
  html: async () => {
    const { htmlText } = await import('./html/htmlText.js');
    return async (job) => htmlText(job.content, job.maxChars);
  },
  docx: async () => {
    const { docxText } = await import('./docx/docxText.js');
    return (job) => docxText(bytesOf(job.content), job.name, job.maxChars);
  },
  xlsx: async () => {
    const { xlsxText } = await import('./xlsx/xlsxText.js');
    return (job) => xlsxText(bytesOf(job.content), job.name, job.maxChars);
  },
  pptx: async () => {
    const { pptxText } = await import('./pptx/pptxText.js');
    return (job) => pptxText(bytesOf(job.content), job.name, job.maxChars);
  },
  pdf: async () => {
    const { pdfText } = await import('./pdf/pdfText.js');
    return (job) => pdfText(bytesOf(job.content), job.name, job.maxChars);
  },
};

/** Converts `job`; `started` is called once its converter is loaded, just before it begins. */
export async function runJob(job: DocumentJob, started: () => void): Promise<DocumentReply> {
  try {
    const convert = await CONVERTERS[job.format]();
    started();
    const { text, truncated, title } = await convert(job);
    return { id: job.id, ok: true, text, truncated, ...(title !== undefined && { title }) };
  } catch (error) {
    if (error instanceof DocumentError) return { id: job.id, ok: false, code: error.code, message: error.message };
    // A converter that recurses over the document's nesting ran out of stack.
    if (error instanceof RangeError) return { id: job.id, ok: false, code: 'too_complex', message: `${job.name} is nested too deeply to convert` };
    return { id: job.id, ok: false, code: 'unreadable', message: `${job.name} could not be converted` };
  }
}
