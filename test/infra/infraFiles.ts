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

/** The text of the declaration that starts with `start` (e.g. `module storage `), up to its matching closing brace. */
export function bicepBlock(text: string, start: string): string {
  const from = text.search(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  if (from < 0) throw new Error(`no declaration starting with "${start}"`);
  let depth = 0;
  for (let index = text.indexOf('{', from); index < text.length; index++) {
    if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) return text.slice(from, index + 1);
  }
  throw new Error(`unbalanced braces after "${start}"`);
}

/** A Bicep file's text by path, e.g. `infra/main.bicep`. */
export function bicepText(path: string): string {
  const file = bicepFiles().find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`${path} is missing`);
  return file.text;
}
