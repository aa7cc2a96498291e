// What document workers cost in memory: our server's RSS before any conversion, while its workers convert ordinary and
// hostile pages, with its workers idle, and once idle workers have ended; and how long an ordinary large page takes.
import { DOCUMENT_TIME_LIMIT_MS, DOCUMENT_WORKER_IDLE_MS, DOCUMENT_WORKERS } from '../shared/documents/documents.js';
import { MAX_PAGE_BYTES } from '../shared/tools/notes/readPage.js';
import type { LocalGraph } from '../sandbox/graph/localGraph.js';
import { expectResult, mcpHeaders, post, toolCall } from './mcpRequests.js';
import { rssMb, sampleRss } from './procStats.js';
import type { ServerProcess } from './serverProcess.js';

export interface DocumentMemoryFigures {
  readonly workers: number;
  /** RSS in MB at each stage. */
  readonly rssMb: {
    readonly beforeAnyConversion: number;
    /** Peak while every worker converts ordinary pages of read_page's largest size. */
    readonly convertingPeak: number;
    /** Peak while every worker holds a hostile page until its time limit. */
    readonly hostilePeak: number;
    /** Right after, workers started but idle. */
    readonly workersIdle: number;
    /** Once the idle workers have ended. */
    readonly afterWorkersEnded: number;
    /** The same after a second round of ordinary pages: what a busy instance settles at between bursts. */
    readonly afterSecondRound: number;
  };
  /** read_page of an ordinary page of read_page's largest size, one at a time: median milliseconds. */
  readonly pageMedianMs: number;
  readonly pageBytes: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `unit` repeated to exactly `bytes` bytes (ASCII). */
const filled = (prefix: string, unit: string, bytes: number) => (prefix + unit.repeat(Math.ceil(bytes / unit.length))).slice(0, bytes);

const ORDINARY = filled('<html><head><title>Handbook</title></head><body>', '<p style="margin-top:0pt;margin-bottom:0pt">A paragraph of a long OneNote page, with <b>some</b> words in bold and a <a href="https://contoso.example/x">link</a>.</p>', MAX_PAGE_BYTES);
/** Nesting the HTML parser takes minutes over: held until the time limit. */
const HOSTILE = filled('<html><body>', '<div>', MAX_PAGE_BYTES);

function servePages(graph: LocalGraph): void {
  for (const [name, html] of [['bench-ordinary', ORDINARY], ['bench-hostile', HOSTILE]] as const) {
    const bytes = Buffer.from(html, 'utf8');
    graph.hostile.push({
      path: new RegExp(`/onenote/pages/${name}(?:-\\d+)?/content$`),
      status: 200,
      send: (response) => response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(bytes.length) }).end(bytes),
    });
  }
}

async function readPage(server: ServerProcess, token: string, pageId: string): Promise<Record<string, unknown>> {
  const answer = await post(`${server.baseUrl}/mcp`, mcpHeaders(token), toolCall('legacy', 'read_page', { pageId }).body);
  if (pageId.startsWith('bench-hostile')) return JSON.parse(answer.text) as Record<string, unknown>;
  return expectResult(answer, `read_page ${pageId}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs on a server of ours that has converted nothing yet. */
export async function measureDocumentMemory(server: ServerProcess, graph: LocalGraph, token: string, progress: (message: string) => void): Promise<DocumentMemoryFigures> {
  servePages(graph);
  const beforeAnyConversion = rssMb(server.pid);

  progress(`document workers: ${DOCUMENT_WORKERS} converting ${MAX_PAGE_BYTES}-byte pages`);
  let sampler = sampleRss(server.pid, 50);
  const durations: number[] = [];
  const ordinaryRounds = async () => {
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: DOCUMENT_WORKERS }, async (_, index) => {
        const started = performance.now();
        await readPage(server, token, `bench-ordinary-${round * DOCUMENT_WORKERS + index}`);
        durations.push(performance.now() - started);
      }));
    }
  };
  await ordinaryRounds();
  const convertingPeak = sampler.stop();

  progress(`document workers: ${DOCUMENT_WORKERS} hostile pages held until the ${DOCUMENT_TIME_LIMIT_MS / 1000} s limit`);
  sampler = sampleRss(server.pid, 50);
  await Promise.all(Array.from({ length: DOCUMENT_WORKERS }, (_, index) => readPage(server, token, `bench-hostile-${index}`)));
  const hostilePeak = sampler.stop();

  // Each hostile conversion ended its worker: one more ordinary page leaves a worker started and idle.
  await readPage(server, token, 'bench-ordinary-99');
  await sleep(1000);
  const workersIdle = rssMb(server.pid);

  progress(`document workers: waiting ${DOCUMENT_WORKER_IDLE_MS / 1000} s for idle workers to end`);
  await sleep(DOCUMENT_WORKER_IDLE_MS + 2000);
  const afterWorkersEnded = rssMb(server.pid);

  progress('document workers: a second round of ordinary pages, then idle again');
  await ordinaryRounds();
  await sleep(DOCUMENT_WORKER_IDLE_MS + 2000);
  const afterSecondRound = rssMb(server.pid);

  return {
    workers: DOCUMENT_WORKERS,
    rssMb: { beforeAnyConversion, convertingPeak, hostilePeak, workersIdle, afterWorkersEnded, afterSecondRound },
    pageMedianMs: median(durations),
    pageBytes: MAX_PAGE_BYTES,
  };
}
