// The document worker pool: its limits, its queue's bound, cancellation, and that idle workers end.
import { describe, expect, it, vi } from 'vitest';
import { DocumentError } from '../../shared/documents/documentError.js';
import { boundInput, MAX_DOCX_INPUT, MAX_HTML_INPUT } from '../../shared/documents/documentFormats.js';
import { MAX_HTML_CHILD_NODES, MAX_HTML_DEPTH } from '../../shared/documents/formats/html/htmlText.js';
import { createWorkerPool, type WorkerJob, type WorkerPoolOptions } from '../../shared/documents/workerPool.js';

const OPTIONS: WorkerPoolOptions = { maxWorkers: 1, maxQueued: 1, maxQueuedBytes: 1024 * 1024, timeLimitMs: 60_000, heapMb: 256, idleMs: 60_000 };

/** Nesting htmlparser2 takes minutes over: a job that runs until something stops it. */
const endless: WorkerJob = { format: 'html', content: '<div>'.repeat(400_000), name: 'endless.html', maxChars: 100 };
const quick: WorkerJob = { format: 'html', content: '<p>quick <b>text</b></p>', name: 'quick.html', maxChars: 100 };

async function codeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DocumentError);
  return (error as DocumentError).code;
}

describe('worker pool', () => {
  it('converts, and ends a worker once it has been idle', async () => {
    const pool = createWorkerPool({ ...OPTIONS, idleMs: 50 });
    expect(pool.stats().workers).toBe(0);
    expect(await pool.run(quick, new AbortController().signal)).toEqual({ text: 'quick text', truncated: false });
    await vi.waitFor(() => expect(pool.stats().workers).toBe(0), { timeout: 10_000, interval: 20 });
  });

  it('stops a job at its time limit with conversion_timeout, and the next job gets a fresh worker', async () => {
    const pool = createWorkerPool({ ...OPTIONS, timeLimitMs: 500 });
    expect(await codeOf(pool.run(endless, new AbortController().signal))).toBe('conversion_timeout');
    expect((await pool.run(quick, new AbortController().signal)).text).toBe('quick text');
  });

  it('stops a job that needs more than its worker\'s heap with too_complex', async () => {
    const pool = createWorkerPool({ ...OPTIONS, heapMb: 24 });
    const large: WorkerJob = { format: 'html', content: '<p>many <b>small</b> elements</p>'.repeat(60_000), name: 'large.html', maxChars: 100 };
    expect(await codeOf(pool.run(large, new AbortController().signal))).toBe('too_complex');
  });

  it('ends a running job when its request ends (cancelled), and its worker with it', async () => {
    const pool = createWorkerPool(OPTIONS);
    const request = new AbortController();
    const running = pool.run(endless, request.signal);
    await vi.waitFor(() => expect(pool.stats().busy).toBe(1), { timeout: 10_000, interval: 10 });
    request.abort();
    expect(await codeOf(running)).toBe('cancelled');
    await vi.waitFor(() => expect(pool.stats().workers).toBe(0), { timeout: 10_000, interval: 20 });
  });

  it('refuses a job when the queue is full (busy, with a retry time), and takes a cancelled one out of the queue', async () => {
    const pool = createWorkerPool(OPTIONS);
    const first = new AbortController();
    const running = pool.run(endless, first.signal);
    const second = new AbortController();
    const queued = pool.run(quick, second.signal);
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 });
    const refused = await pool.run(quick, new AbortController().signal).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(DocumentError);
    expect(refused).toMatchObject({ code: 'busy', retryAfterSeconds: 60 });
    second.abort();
    expect(await codeOf(queued)).toBe('cancelled');
    expect(pool.stats().queued).toBe(0);
    first.abort();
    expect(await codeOf(running)).toBe('cancelled');
  });

  it('refuses a job whose input would take the queue past its bytes', async () => {
    const pool = createWorkerPool({ ...OPTIONS, maxQueued: 10, maxQueuedBytes: 1000 });
    const first = new AbortController();
    const running = pool.run(endless, first.signal);
    expect(await codeOf(pool.run({ ...quick, content: 'x'.repeat(600) }, new AbortController().signal))).toBe('busy');
    first.abort();
    expect(await codeOf(running)).toBe('cancelled');
  });

  it('answers cancelled at once for a request that has already ended', async () => {
    const pool = createWorkerPool(OPTIONS);
    expect(await codeOf(pool.run(quick, AbortSignal.abort()))).toBe('cancelled');
    expect(pool.stats().workers).toBe(0);
  });

  it('passes on a converter\'s own codes: a damaged .docx is unreadable', async () => {
    const pool = createWorkerPool(OPTIONS);
    expect(await codeOf(pool.run({ format: 'docx', content: Buffer.from('not a zip'), name: 'Broken.docx', maxChars: 100 }, new AbortController().signal))).toBe('unreadable');
  });
});

describe('converter limits', () => {
  it(`walks at most ${MAX_HTML_DEPTH} levels and ${MAX_HTML_CHILD_NODES} children of an element, and says where it cut`, async () => {
    const pool = createWorkerPool(OPTIONS);
    const deep = await pool.run({ ...quick, content: `${'<span>'.repeat(MAX_HTML_DEPTH + 50)}too deep` }, new AbortController().signal);
    expect(deep.text).toBe('...');
    const wide = await pool.run({ ...quick, content: `<p>${'<b>x</b>'.repeat(MAX_HTML_CHILD_NODES + 10)}</p>`, maxChars: 200_000 }, new AbortController().signal);
    expect(wide.text).toBe(`${'x'.repeat(MAX_HTML_CHILD_NODES)}...`);
  });
});

describe('input caps, before any conversion', () => {
  it(`cuts HTML at ${MAX_HTML_INPUT} characters, or 32 per character of text wanted, and flags it`, () => {
    const page = boundInput({ format: 'html', content: 'x'.repeat(MAX_HTML_INPUT + 10), name: 'page', maxChars: 100_000 });
    expect([page.cut, page.content.length]).toEqual([true, MAX_HTML_INPUT]);
    const note = boundInput({ format: 'html', content: 'x'.repeat(5000), name: 'note', maxChars: 100 });
    expect([note.cut, note.content.length]).toEqual([true, 3200]);
    expect(boundInput({ format: 'html', content: Buffer.alloc(100), name: 'note', maxChars: 100 })).toMatchObject({ cut: false });
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const { content } = boundInput({ format: 'html', content: `${'x'.repeat(3199)}😀`, name: 'note', maxChars: 100 });
    expect(content).toBe('x'.repeat(3199));
  });

  it(`refuses a .docx over ${MAX_DOCX_INPUT} bytes with too_large: a cut zip would be damaged`, () => {
    expect(() => boundInput({ format: 'docx', content: Buffer.alloc(MAX_DOCX_INPUT + 1), name: 'Big.docx', maxChars: 100 })).toThrow(expect.objectContaining({ code: 'too_large' }) as Error);
  });
});
