// Document conversion from the bundles `npm run build` writes: the Functions package's worker beside its entry, and
// `npm start`'s local host converting a page and a .docx through its own worker.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DocumentJob, DocumentReply } from '../../shared/documents/documentJob.js';
import { readFile } from '../../shared/tools/files/readFile.js';
import { readPage } from '../../shared/tools/notes/readPage.js';
import { buildDocx } from '../../sandbox/graph/filesRoutes.js';
import { buildPdf, buildPptx, buildXlsx } from '../../sandbox/graph/officeFiles.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startServerProcess } from '../../bench/serverProcess.js';
import { REPO_ROOT } from '../infra/infraFiles.js';
import { connectClient } from '../support/mcpClient.js';
import { stackEnv } from '../support/multiInstance.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { callTool, structured } from '../support/toolCalls.js';
import { itemAt } from '../tools/files/filesTestKit.js';

const run = promisify(execFile);

let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'onbehalf-build-'));
  await run(process.execPath, ['esbuild.config.mjs', out], { cwd: REPO_ROOT, timeout: 120_000 });
}, 150_000);

afterAll(() => {
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

/** Runs `job` in a worker started from `script`, as the server starts one. */
async function convertWith(script: string, job: DocumentJob): Promise<DocumentReply> {
  const worker = new Worker(script);
  try {
    return await new Promise<DocumentReply>((resolve, reject) => {
      worker.on('message', (reply: DocumentReply) => {
        if (!('started' in reply)) resolve(reply);
      });
      worker.once('error', reject);
      worker.postMessage(job);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the Functions package', () => {
  it.each(['functions', 'dev'])('%s/: the code that starts document workers sits beside the worker entry or one folder below it', (area) => {
    const folder = join(out, area);
    expect(existsSync(join(folder, 'documentWorker.js'))).toBe(true);
    // shared/documents/workerScript.ts looks for ./documentWorker.js, then ../documentWorker.js, from the file it is bundled into.
    const files = [
      ...readdirSync(folder).filter((name) => name.endsWith('.js') && name !== 'documentWorker.js'),
      ...readdirSync(join(folder, 'chunks')).filter((name) => name.endsWith('.js')).map((name) => join('chunks', name)),
    ];
    const starters = files.filter((file) => readFileSync(join(folder, file), 'utf8').includes('./documentWorker.js'));
    expect(starters.length).toBeGreaterThan(0);
  });

  it('converts HTML and a .docx in its bundled worker', async () => {
    const script = join(out, 'functions', 'documentWorker.js');
    const html = await convertWith(script, { id: 1, format: 'html', content: '<p>Hello <span hidden>secret</span><b>world</b></p>', name: 'page', maxChars: 100 });
    expect(html).toEqual({ id: 1, ok: true, text: 'Hello world', truncated: false });
    const docx = await convertWith(script, { id: 2, format: 'docx', content: await buildDocx(['Bundled report']), name: 'Report.docx', maxChars: 100 });
    expect(docx).toMatchObject({ id: 2, ok: true, text: expect.stringContaining('Bundled report') as string });
  });

  it('converts an .xlsx, a .pptx and a PDF in its bundled worker (pdf.js in the worker\'s thread, from the bundle alone)', async () => {
    const script = join(out, 'functions', 'documentWorker.js');
    const xlsx = await convertWith(script, { id: 3, format: 'xlsx', content: await buildXlsx([{ name: 'Budget', rows: [['Stores', 12]] }]), name: 'Budget.xlsx', maxChars: 100 });
    expect(xlsx).toEqual({ id: 3, ok: true, text: '## Budget\n1: Stores | 12', truncated: false });
    const pptx = await convertWith(script, { id: 4, format: 'pptx', content: await buildPptx([{ paragraphs: ['Bundled deck'], notes: ['Say hello'] }]), name: 'Deck.pptx', maxChars: 100 });
    expect(pptx).toEqual({ id: 4, ok: true, text: '## Slide 1\nBundled deck\nNotes: Say hello', truncated: false });
    const pdf = await convertWith(script, { id: 5, format: 'pdf', content: buildPdf([['Bundled PDF']]), name: 'Invoice.pdf', maxChars: 100 });
    expect(pdf).toEqual({ id: 5, ok: true, text: '## Page 1\nBundled PDF', truncated: false });
  });
});

describe('npm start\'s local host', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('reads a OneNote page and a .docx through its bundled document worker', async () => {
    const server = await startServerProcess({
      name: 'bundled host',
      script: join(out, 'dev', 'host.js'),
      env: { ...stackEnv(stack), NODE_EXTRA_CA_CERTS: inject('tlsCertPath') },
    });
    try {
      const client = await connectClient(`${server.baseUrl}/mcp`, await stack.idp.accessToken(ADELE));
      const page = structured(readPage, await callTool(client, 'read_page', { pageId: `${ADELE.key}-page-q3-review` }));
      expect(page.text).toContain('Open two stores');
      const report = structured(readFile, await callTool(client, 'read_file', { itemId: itemAt(stack, ADELE, 'Documents/Reports/Quarterly Report.docx').id }));
      expect(report.text).toContain('Prepared by Adele Vance.');
      await client.close();
    } finally {
      await server.stop();
    }
  }, 60_000);
});
