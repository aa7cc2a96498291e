// list_drive_items: the files and folders in one folder of the user's OneDrive or of a SharePoint site's library.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, graphId, lazily, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { describeDriveItem, driveBase, DriveItemSummary, siteIdInput, toDriveItemSummary } from './drive.js';

// Characters OneDrive forbids in names; ':' would also end Graph's path addressing (root:/path:).
const FORBIDDEN = /^[^"*:<>?\\|]*$/;

const folderPath = lazily(() => z.string().max(1000)
  .regex(FORBIDDEN, 'must not contain " * : < > ? \\ |')
  .refine((path) => path.split('/').every((segment) => segment.trim() !== '.' && segment.trim() !== '..'), 'must not contain . or .. segments')
  .describe('Folder path from the drive root, e.g. "Documents/Reports"; omit for the root'));

/** Graph's path addressing, each segment encoded so names with '#', '%' or '&' stay names. */
function childrenPath(base: string, input: { path?: string | undefined; itemId?: string | undefined }): string {
  if (input.itemId !== undefined) return `${base}/items/${encodeURIComponent(input.itemId)}/children`;
  const segments = (input.path ?? '').split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return `${base}/root/children`;
  return `${base}/root:/${segments.map(encodeURIComponent).join('/')}:/children`;
}

export const listDriveItems = defineTool({
  name: 'list_drive_items',
  title: 'List folder contents',
  description: 'List the files and folders in a folder of your OneDrive or of a SharePoint site\'s document library, by path or folder id.',
  // Files.Read would cover the user's own drive only; site libraries need Files.Read.All, and a tool has one scope set.
  scopes: ['Files.Read.All'],
  input: () => z.object({
    path: folderPath().optional(),
    itemId: graphId().optional().describe('Folder id, instead of path'),
    siteId: siteIdInput(),
    top: pageSizeInput(200, 50),
    cursor: cursorInput(),
  }).refine((input) => input.path === undefined || input.itemId === undefined, { message: 'Give path or itemId, not both', path: ['itemId'] }),
  output: () => z.object({ items: z.array(DriveItemSummary()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const page = await listPage<MicrosoftGraph.DriveItem>(graph, {
      tool: 'list_drive_items',
      path: childrenPath(driveBase(input.siteId), input),
      cursor: input.cursor,
      options: { query: { $top: input.top, $select: 'id,name,size,lastModifiedDateTime,webUrl,folder,file' } },
    });
    const items = page.items.map(toDriveItemSummary);
    const where = input.itemId !== undefined ? `folder ${input.itemId}` : `/${input.path ?? ''}`;
    const text = items.length === 0 ? `Nothing in ${where}.` : items.map(describeDriveItem).join('\n') + (page.nextCursor === undefined ? '' : '\n(more: pass nextCursor)');
    return { structured: { items, nextCursor: page.nextCursor }, text };
  },
});
