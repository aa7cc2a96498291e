// Cold start: time to import, and RSS after importing, the Functions bundle vs an unbundled build (median of fresh processes).
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { median } from './median.js';

const run = promisify(execFile);

export interface ImportSample {
  readonly importMs: number;
  /** CPU the import took (every thread): what a busy machine does not stretch. */
  readonly importCpuMs: number;
  readonly rssMb: number;
}

export interface ImportFigures {
  readonly entry: string;
  readonly medianMs: number;
  readonly medianCpuMs: number;
  readonly medianRssMb: number;
  readonly samples: readonly ImportSample[];
}

export interface ColdStartFigures {
  readonly bundled: ImportFigures;
  readonly unbundled: ImportFigures;
  /** unbundled median / bundled median */
  readonly speedup: number;
}

function sources(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

/** functions/ and shared/ file by file into dist/unbundled/ (imports resolved by Node at run time); the entry's path. */
export async function buildUnbundled(root: string): Promise<string> {
  const outdir = join(root, 'dist', 'unbundled');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: [...sources(root, 'functions'), ...sources(root, 'shared')],
    outdir,
    outbase: '.',
    bundle: false,
    platform: 'node',
    // Node 20.0 lacks import attributes, so a plain `node20` target would drop `with { type: 'json' }`.
    target: `node${process.versions.node}`,
    format: 'esm',
    logLevel: 'warning',
  });
  // shared/mcp/serverInfo.ts imports ../../package.json.
  copyFileSync(join(root, 'package.json'), join(outdir, 'package.json'));
  return join(outdir, 'functions', 'index.js');
}

async function importOnce(coldImportScript: string, entry: string): Promise<ImportSample> {
  // A dev-mode environment so configuration parses; nothing is contacted at import.
  const env = { PATH: process.env['PATH'] ?? '', MCP_DEV_MODE: '1', ENTRA_AUTHORITY_HOST: 'https://localhost:7072' };
  const { stdout } = await run(process.execPath, [coldImportScript, entry], { env, timeout: 30_000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ImportSample;
}

function figures(entry: string, samples: readonly ImportSample[]): ImportFigures {
  return { entry, medianMs: median(samples.map((s) => s.importMs)), medianCpuMs: median(samples.map((s) => s.importCpuMs)), medianRssMb: median(samples.map((s) => s.rssMb)), samples };
}

/** `runs` fresh processes each, interleaved, after one unrecorded import each so both read from a warm page cache. */
export async function measureColdStart(root: string, coldImportScript: string, runs = 5): Promise<ColdStartFigures> {
  const bundledEntry = join(root, 'dist', 'functions', 'index.js');
  const unbundledEntry = await buildUnbundled(root);
  await importOnce(coldImportScript, bundledEntry);
  await importOnce(coldImportScript, unbundledEntry);
  const bundled: ImportSample[] = [];
  const unbundled: ImportSample[] = [];
  for (let index = 0; index < runs; index++) {
    bundled.push(await importOnce(coldImportScript, bundledEntry));
    unbundled.push(await importOnce(coldImportScript, unbundledEntry));
  }
  const bundledFigures = figures(bundledEntry, bundled);
  const unbundledFigures = figures(unbundledEntry, unbundled);
  return { bundled: bundledFigures, unbundled: unbundledFigures, speedup: unbundledFigures.medianMs / bundledFigures.medianMs };
}
