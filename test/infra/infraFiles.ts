// Reads the repository's infra, workflow and doc files for the drift tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RepoFile {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

function walk(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, accept);
    return accept(entry.name) ? [full] : [];
  });
}

/** Files under `dir` (relative to the repository root) whose names pass `accept`, sorted by path. */
export function readRepoFiles(dir: string, accept: (name: string) => boolean): RepoFile[] {
  return walk(join(REPO_ROOT, dir), accept)
    .map((full) => ({ path: relative(REPO_ROOT, full).split('\\').join('/'), text: readFileSync(full, 'utf8') }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** A repository file's text, or undefined when it does not exist (yet). */
export function readRepoText(path: string): string | undefined {
  const full = join(REPO_ROOT, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

export function bicepFiles(): RepoFile[] {
  return readRepoFiles('infra', (name) => name.endsWith('.bicep'));
}

export function workflowFiles(): RepoFile[] {
  return readRepoFiles('.github/workflows', (name) => name.endsWith('.yml') || name.endsWith('.yaml'));
}
