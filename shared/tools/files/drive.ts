// Pieces the drive tools share: where a drive lives in Graph, and how a drive item reads in a tool's output.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { graphId, lazily, nullAsAbsent } from '../schemas.js';

export const siteIdInput = lazily(() => graphId().optional().describe('SharePoint site id (from list_sites): use its default document library instead of your OneDrive'));

/** The user's OneDrive, or a site's default document library. */
export function driveBase(siteId: string | undefined): string {
  return siteId === undefined ? '/me/drive' : `/sites/${encodeURIComponent(siteId)}/drive`;
}

export const DriveItemSummary = lazily(() => z.object({
  id: z.string(),
  name: nullAsAbsent(z.string()),
  kind: z.enum(['folder', 'file', 'other']),
  size: nullAsAbsent(z.number()).describe('Bytes'),
  lastModifiedDateTime: nullAsAbsent(z.string()),
  webUrl: nullAsAbsent(z.string()),
  mimeType: nullAsAbsent(z.string()),
  childCount: nullAsAbsent(z.number()),
}));

export type DriveItemSummary = z.input<ReturnType<typeof DriveItemSummary>>;

export function toDriveItemSummary(item: MicrosoftGraph.DriveItem): DriveItemSummary {
  // Packages (OneNote notebooks) carry neither facet.
  const kind = item.folder ? 'folder' : item.file ? 'file' : 'other';
  return {
    id: item.id ?? '',
    name: item.name,
    kind,
    size: item.size,
    lastModifiedDateTime: item.lastModifiedDateTime,
    webUrl: item.webUrl,
    ...(item.file && { mimeType: item.file.mimeType }),
    ...(item.folder && { childCount: item.folder.childCount }),
  };
}

/** One line per item for the text rendering: name, what it is, its id (the model needs ids for the next call). */
export function describeDriveItem(item: DriveItemSummary): string {
  const what = item.kind === 'folder' ? `folder, ${item.childCount ?? 0} items` : item.size === null || item.size === undefined ? item.kind : `${item.size} bytes`;
  return `${item.name ?? '(no name)'}${item.kind === 'folder' ? '/' : ''} (${what}) id ${item.id}`;
}
