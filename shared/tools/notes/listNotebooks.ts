// list_notebooks: the signed-in user's OneNote notebooks with their sections (also those inside section groups).
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput } from '../schemas.js';

const Notebook = lazily(() => z.object({
  id: z.string(),
  displayName: z.string(),
  lastModifiedDateTime: z.string().optional(),
  webUrl: z.string().optional(),
  sections: z.array(z.object({ id: z.string(), displayName: z.string() })).describe('Grouped ones as "Group / Section"'),
}));
type Notebook = z.input<ReturnType<typeof Notebook>>;

const SECTION = 'sections($select=id,displayName)';
// One level of section groups: Graph expands no deeper, and deeper nesting is rare.
const EXPAND = `${SECTION},sectionGroups($select=id,displayName;$expand=${SECTION})`;

function toNotebook(notebook: MicrosoftGraph.Notebook): Notebook {
  const section = (prefix: string) => (entry: MicrosoftGraph.OnenoteSection) => ({ id: entry.id ?? '', displayName: `${prefix}${entry.displayName ?? ''}` });
  const grouped = (notebook.sectionGroups ?? []).flatMap((group) => (group.sections ?? []).map(section(`${group.displayName ?? ''} / `)));
  const webUrl = notebook.links?.oneNoteWebUrl?.href ?? undefined;
  return {
    id: notebook.id ?? '',
    displayName: notebook.displayName ?? '',
    ...(notebook.lastModifiedDateTime != null && { lastModifiedDateTime: notebook.lastModifiedDateTime }),
    ...(webUrl !== undefined && { webUrl }),
    sections: [...(notebook.sections ?? []).map(section('')), ...grouped],
  };
}

export const listNotebooks = defineTool({
  name: 'list_notebooks',
  title: 'List OneNote notebooks',
  description: 'Your OneNote notebooks and their sections; a section id lists its pages in list_pages.',
  scopes: ['Notes.Read'],
  input: () => z.object({ cursor: cursorInput() }),
  output: () => z.object({ notebooks: z.array(Notebook()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.Notebook>(graph, {
      tool: 'list_notebooks',
      path: '/me/onenote/notebooks',
      cursor: input.cursor,
      options: { query: { $select: 'id,displayName,lastModifiedDateTime,links', $expand: EXPAND } },
    });
    const notebooks = page.items.map(toNotebook);
    const text = notebooks.length === 0
      ? 'No notebooks.'
      : notebooks.map((notebook) => `${notebook.displayName || '(no name)'} (id ${notebook.id})${notebook.sections.map((section) => `\n  - ${section.displayName} (section id ${section.id})`).join('')}`).join('\n');
    return { structured: { notebooks, nextCursor: page.nextCursor }, text };
  },
});
