// Keeps the README's tool table in step with the catalog: every tool, in order, with its scopes and annotations.
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../shared/tools/catalog.js';
import { readRepoText } from './infraFiles.js';

interface Row {
  readonly name: string;
  readonly scopes: string[];
  readonly readOnly: boolean;
  readonly destructive: boolean;
}

function readmeRows(): Row[] {
  const readme = readRepoText('README.md') ?? '';
  const table = /<!-- tools:start -->\n([\s\S]*?)<!-- tools:end -->/.exec(readme)?.[1] ?? '';
  return table.split('\n').filter((line) => line.startsWith('| `')).map((line) => {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const yes = (cell: string | undefined) => cell?.replaceAll('*', '') === 'yes';
    return {
      name: (cells[0] ?? '').replaceAll('`', ''),
      // Notes in parentheses, such as "(admin consent)", are for readers.
      scopes: (cells[2] ?? '').replace(/\([^)]*\)/g, '').split(',').map((scope) => scope.trim()).filter((scope) => scope !== ''),
      readOnly: yes(cells[3]),
      destructive: yes(cells[4]),
    };
  });
}

describe('README.md tool table', () => {
  it('lists every tool of the catalog, in its order, with its scopes, read-only and destructive annotations', () => {
    expect(readmeRows()).toEqual(TOOLS.map((tool) => ({
      name: tool.name,
      scopes: [...tool.scopes],
      readOnly: tool.annotations.readOnlyHint,
      destructive: tool.annotations.destructiveHint,
    })));
  });
});
