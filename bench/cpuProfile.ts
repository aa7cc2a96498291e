// Summarises a V8 .cpuprofile: the functions and packages with the most self time.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  /** What load the profile was taken under. */
  readonly label: string;
  readonly file: string;
  readonly totalMs: number;
  readonly functions: readonly SelfTime[];
  readonly packages: readonly SelfTime[];
}

/** `node_modules/<package>`, our own code, Node's internals, or V8's pseudo-frames such as (garbage collector). */
function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return match?.[1] ?? '(our code)';
}

function top(map: Map<string, number>, totalMs: number, count: number): SelfTime[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) => ({ name, ms, percent: (100 * ms) / totalMs }));
}

export function summarizeProfile(label: string, file: string, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') return;
    totalMs += ms;
    const where = url === '' ? '' : ` ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
    const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  });
  return { label, file, totalMs, functions: top(functions, totalMs, count), packages: top(packages, totalMs, count) };
}

export function renderProfile(summary: ProfileSummary): string {
  const line = (entry: SelfTime) => `${entry.ms.toFixed(0).padStart(7)} ms ${entry.percent.toFixed(1).padStart(5)}%  ${entry.name}`;
  return [
    `CPU profile of ours under ${summary.label}: ${summary.totalMs.toFixed(0)} ms busy, idle excluded (${summary.file})`,
    'top self time by package:',
    ...summary.packages.map(line),
    'top self time by function:',
    ...summary.functions.map(line),
  ].join('\n');
}
