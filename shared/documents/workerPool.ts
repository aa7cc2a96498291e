// A few document workers, started when first needed and ended when idle, running one job each, with a bounded
// queue: a conversion never runs on the event loop, never past its time limit or its request, and never piles up.
import type { Worker } from 'node:worker_threads';
import { DocumentError } from './documentError.js';
import type { DocumentText } from './documentFormats.js';
import type { DocumentJob, DocumentReply } from './documentJob.js';
import { startDocumentWorker } from './workerScript.js';

export interface WorkerPoolOptions {
  /** Workers converting at once. */
  readonly maxWorkers: number;
  /** Jobs waiting for a worker, at most; more are refused `busy`. */
  readonly maxQueued: number;
  /** Bytes of input (characters count two) waiting for a worker, at most. */
  readonly maxQueuedBytes: number;
  /** A job still running this long after its converter began is stopped: its worker is ended. */
  readonly timeLimitMs: number;
  /** V8 heap of each worker; a job that needs more ends its worker. */
  readonly heapMb: number;
  /** A worker idle this long is ended, so that an instance that converted once does not keep its memory. */
  readonly idleMs: number;
}

export type WorkerJob = Omit<DocumentJob, 'id'>;

export interface WorkerPool {
  /** Throws `DocumentError`: `busy`, `cancelled`, `conversion_timeout`, `too_complex`, or the converter's own code. */
  run(job: WorkerJob, signal: AbortSignal): Promise<DocumentText>;
  /** Workers started and jobs waiting, for measurements. */
  stats(): { readonly workers: number; readonly busy: number; readonly queued: number };
}

interface Waiting {
  readonly job: DocumentJob;
  readonly bytes: number;
  readonly signal: AbortSignal;
  readonly resolve: (text: DocumentText) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  /** The job it runs; undefined while idle. */
  current: Waiting | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** Settles the current job and frees or ends the worker. */
  finish: ((outcome: DocumentText | Error, endWorker: boolean) => void) | undefined;
  /** The current job's converter has begun: its time limit starts again from now. */
  began: (() => void) | undefined;
}

/** Starting a worker and loading a converter take well under a second; a worker that has not begun after this is ended. */
const START_ALLOWANCE_MS = 10_000;

const sizeOf = (content: string | Uint8Array) => (typeof content === 'string' ? content.length * 2 : content.byteLength);

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const slots = new Set<Slot>();
  const queue: Waiting[] = [];
  let queuedBytes = 0;
  let nextId = 1;

  const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));
  const cancelled = (name: string) => new DocumentError('cancelled', `The request ended before ${name} was converted`);

  function spawn(): Slot {
    const worker = startDocumentWorker({
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb, maxYoungGenerationSizeMb: Math.min(32, options.heapMb / 4), stackSizeMb: 4 },
      // Nothing a conversion writes is ours to show: a library's console output stays in the worker.
      stdout: true,
      stderr: true,
    });
    // An idle worker never holds the process open; one converting does, as any pending work would.
    worker.unref();
    const slot: Slot = { worker, current: undefined, idleTimer: undefined, finish: undefined, began: undefined };
    slots.add(slot);
    worker.on('message', (reply: DocumentReply) => {
      if (slot.current === undefined || reply.id !== slot.current.job.id) return;
      if ('started' in reply) return slot.began?.();
      slot.finish?.(reply.ok ? { text: reply.text, truncated: reply.truncated, ...(reply.title !== undefined && { title: reply.title }) } : new DocumentError(reply.code, reply.message), false);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const name = slot.current?.job.name ?? 'the document';
      slot.finish?.(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new DocumentError('too_complex', `${name} needs more memory to convert than one conversion is given`, { cause: error })
        : new Error(`The document worker failed: ${error.message}`, { cause: error }), true);
    });
    worker.on('exit', () => {
      slots.delete(slot);
      slot.finish?.(new Error('The document worker stopped'), true);
      drain();
    });
    // The worker's own output is read and dropped, so its pipes never fill.
    worker.stdout.resume();
    worker.stderr.resume();
    return slot;
  }

  function start(slot: Slot, waiting: Waiting): void {
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    slot.current = waiting;
    slot.worker.ref();
    const { job, signal } = waiting;
    const onAbort = () => slot.finish?.(cancelled(job.name), true);
    // Armed now with room to start a worker and load its converter (our own code, not the document's), and
    // again when the converter begins: a conversion gets its whole limit, whatever starting cost.
    const arm = (ms: number) => {
      const timer = setTimeout(() => {
        slot.finish?.(new DocumentError('conversion_timeout', `${job.name} took longer than ${seconds(options.timeLimitMs)} seconds to convert`), true);
      }, ms);
      timer.unref();
      return timer;
    };
    let timer = arm(options.timeLimitMs + START_ALLOWANCE_MS);
    slot.began = () => {
      slot.began = undefined;
      clearTimeout(timer);
      timer = arm(options.timeLimitMs);
    };
    slot.finish = (outcome, endWorker) => {
      slot.finish = undefined;
      slot.began = undefined;
      slot.current = undefined;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) waiting.reject(outcome);
      else waiting.resolve(outcome);
      if (endWorker) {
        // Its heap may hold what the stopped job built: a new worker starts clean.
        slots.delete(slot);
        void slot.worker.terminate();
      } else {
        slot.worker.unref();
        slot.idleTimer = setTimeout(() => {
          slots.delete(slot);
          void slot.worker.terminate();
        }, options.idleMs);
        slot.idleTimer.unref();
      }
      drain();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    slot.worker.postMessage(job);
  }

  const idleSlot = () => [...slots].find((candidate) => candidate.current === undefined && candidate.finish === undefined);

  /** Hands waiting jobs to idle workers, starting workers up to the limit. */
  function drain(): void {
    while (queue.length > 0) {
      let slot = idleSlot();
      if (slot === undefined) {
        if (slots.size >= options.maxWorkers) return;
        slot = spawn();
      }
      const waiting = queue.shift();
      if (waiting === undefined) return;
      queuedBytes -= waiting.bytes;
      if (waiting.signal.aborted) {
        waiting.reject(cancelled(waiting.job.name));
        continue;
      }
      start(slot, waiting);
    }
  }

  return {
    run: (job, signal) => new Promise<DocumentText>((resolve, reject) => {
      if (signal.aborted) return reject(cancelled(job.name));
      const bytes = sizeOf(job.content);
      const startsNow = queue.length === 0 && (idleSlot() !== undefined || slots.size < options.maxWorkers);
      if (!startsNow && (queue.length >= options.maxQueued || queuedBytes + bytes > options.maxQueuedBytes)) {
        return reject(new DocumentError('busy', 'This server is converting as many documents as it can right now', { retryAfterSeconds: seconds(options.timeLimitMs) }));
      }
      const waiting: Waiting = { job: { ...job, id: nextId++ }, bytes, signal, resolve, reject };
      queue.push(waiting);
      queuedBytes += bytes;
      // Waiting in the queue ends with the request too, without waiting for a worker to say so.
      signal.addEventListener('abort', () => {
        const index = queue.indexOf(waiting);
        if (index === -1) return;
        queue.splice(index, 1);
        queuedBytes -= bytes;
        reject(cancelled(job.name));
      }, { once: true });
      drain();
    }),
    stats: () => ({ workers: slots.size, busy: [...slots].filter((slot) => slot.current !== undefined).length, queued: queue.length }),
  };
}
