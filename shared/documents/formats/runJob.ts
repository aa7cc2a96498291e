// Runs one job in a document worker: the format's converter, loaded on first use, and its failures as typed codes.
import { DocumentError } from '../documentError.js';
import type { DocumentFormat, DocumentText } from '../documentFormats.js';
import type { DocumentJob, DocumentReply } from '../documentJob.js';

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? new TextEncoder().encode(content) : content);

/** One converter per format: a later format (pdf, xlsx, pptx) adds its line here and its input cap in documentFormats.ts. */
const CONVERTERS: Readonly<Record<DocumentFormat, (job: DocumentJob) => Promise<DocumentText>>> = {
  html: async (job) => (await import('./html/htmlText.js')).htmlText(job.content, job.maxChars),
  docx: async (job) => (await import('./docx/docxText.js')).docxText(bytesOf(job.content), job.name, job.maxChars),
};

export async function runJob(job: DocumentJob): Promise<DocumentReply> {
  try {
    const { text, truncated, title } = await CONVERTERS[job.format](job);
    return { id: job.id, ok: true, text, truncated, ...(title !== undefined && { title }) };
  } catch (error) {
    if (error instanceof DocumentError) return { id: job.id, ok: false, code: error.code, message: error.message };
    // A converter that recurses over the document's nesting ran out of stack.
    if (error instanceof RangeError) return { id: job.id, ok: false, code: 'too_complex', message: `${job.name} is nested too deeply to convert` };
    return { id: job.id, ok: false, code: 'unreadable', message: `${job.name} could not be converted` };
  }
}
