// Bounded document work: every conversion of a document to text (HTML, .docx, and each format added later) goes
// through here: its input capped, then converted by a worker under time and memory limits, off the event loop.
import { boundInput, type DocumentInput, type DocumentText } from './documentFormats.js';
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './workerPool.js';

export interface Documents {
  /**
   * The text of `input`, cut at `input.maxChars`. Stops when `signal` aborts (the request's deadline). Throws
   * `DocumentError`: `too_large`, `unreadable`, `too_complex`, `conversion_timeout`, `busy`, `cancelled`.
   */
  convert(input: DocumentInput, signal: AbortSignal): Promise<DocumentText>;
}

/** Longest a conversion runs; a real page or report converts in well under a second. */
export const DOCUMENT_TIME_LIMIT_MS = 10_000;
/** Conversions at once per instance: a hostile document holds one worker until its time limit, never the instance. */
export const DOCUMENT_WORKERS = 2;
/** V8 heap of a worker: html-to-text on 2 MiB of HTML needs a fraction of it; mammoth needs about 100 bytes per byte of XML. */
export const DOCUMENT_HEAP_MB = 256;
/** Jobs waiting for a worker: a page of 50 Teams messages is 50 jobs. */
export const MAX_QUEUED_DOCUMENTS = 256;
/** Input waiting for a worker: eight of the largest pages. */
export const MAX_QUEUED_DOCUMENT_BYTES = 32 * 1024 * 1024;
/** A worker idle this long ends: its memory goes back, and the next conversion pays about 50 ms to start one. */
export const DOCUMENT_WORKER_IDLE_MS = 15_000;

export type DocumentsOptions = Partial<WorkerPoolOptions>;

/** The conversions of one instance; workers start on the first conversion, not here. */
export function createDocuments(options: DocumentsOptions = {}): Documents {
  let pool: WorkerPool | undefined;
  return {
    async convert(input, signal) {
      const { content, cut } = boundInput(input);
      pool ??= createWorkerPool({
        maxWorkers: options.maxWorkers ?? DOCUMENT_WORKERS,
        maxQueued: options.maxQueued ?? MAX_QUEUED_DOCUMENTS,
        maxQueuedBytes: options.maxQueuedBytes ?? MAX_QUEUED_DOCUMENT_BYTES,
        timeLimitMs: options.timeLimitMs ?? DOCUMENT_TIME_LIMIT_MS,
        heapMb: options.heapMb ?? DOCUMENT_HEAP_MB,
        idleMs: options.idleMs ?? DOCUMENT_WORKER_IDLE_MS,
      });
      const text = await pool.run({ format: input.format, content, name: input.name, maxChars: input.maxChars }, signal);
      return cut ? { ...text, truncated: true } : text;
    },
  };
}
