// read_file: the plain text of one OneDrive or SharePoint file (text formats, HTML, Office files, PDF), size-capped both ways.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { graphId, nullAsAbsent } from '../schemas.js';
import { driveBase, siteIdInput } from './drive.js';
import { extractText, formatOf, TEXT_FORMATS } from './extractText.js';

/** Larger files are refused before any byte is downloaded, or as soon as the download passes it: the whole file sits in memory while it is converted. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** What a model can use in one turn; the rest is cut and flagged. */
export const MAX_TEXT_CHARS = 64_000;

export const readFile = defineTool({
  name: 'read_file',
  title: 'Read file',
  description: 'Read the text of a OneDrive or SharePoint file by id: txt, md, csv, json, xml, html, docx, xlsx (rows per sheet), pptx (slides with notes) and pdf, up to 4 MiB; other types give their link.',
  // Files.Read would do for the user's own drive only; files in site libraries need Files.Read.All.
  scopes: ['Files.Read.All'],
  input: () => z.object({
    itemId: graphId().describe('File id (from list_drive_items or search_files)'),
    siteId: siteIdInput(),
  }),
  output: () => z.object({
    id: z.string(),
    name: nullAsAbsent(z.string()),
    size: nullAsAbsent(z.number()).describe('Bytes'),
    webUrl: nullAsAbsent(z.string()),
    mimeType: nullAsAbsent(z.string()),
    format: z.enum(TEXT_FORMATS).optional().describe('How the text was extracted; absent when the type is not supported'),
    text: z.string().optional().describe('The file\'s text'),
    truncated: z.boolean().describe(`True when the text was cut at ${MAX_TEXT_CHARS} characters`),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, context) => {
    const { graph } = context;
    const itemPath = `${driveBase(input.siteId)}/items/${encodeURIComponent(input.itemId)}`;
    const item = await graph.get<MicrosoftGraph.DriveItem>(itemPath, { query: { $select: 'id,name,size,file,webUrl' } });
    const name = item.name ?? input.itemId;
    if (!item.file) throw new GraphError('bad_request', `${name} is a folder or package, not a file; list_drive_items shows what it holds`);
    const metadata = { id: item.id ?? input.itemId, name: item.name, size: item.size, webUrl: item.webUrl, mimeType: item.file.mimeType };
    const format = formatOf(item.name, item.file.mimeType);
    if (format === undefined) {
      return {
        structured: { ...metadata, truncated: false },
        text: `${name}: text extraction is not supported for this file type (${item.file.mimeType ?? 'unknown'}). Open it at ${item.webUrl ?? 'its web address'}.`,
      };
    }
    const tooLarge = (size: number) => new GraphError('too_large', `${name} is ${size} bytes; read_file reads files up to ${MAX_FILE_BYTES} bytes. Open it at ${item.webUrl ?? 'its web address'}`);
    if ((item.size ?? 0) > MAX_FILE_BYTES) throw tooLarge(item.size ?? 0);
    let content: Buffer;
    try {
      // The metadata can be stale (a new version uploaded meanwhile): the cap holds for what arrives, counted as it streams in.
      content = await graph.getBytes(`${itemPath}/content`, { maxBytes: MAX_FILE_BYTES });
    } catch (error) {
      if (error instanceof GraphError && error.code === 'too_large') throw new GraphError('too_large', `${name} is larger than ${MAX_FILE_BYTES} bytes; read_file reads files up to that size. Open it at ${item.webUrl ?? 'its web address'}`, { cause: error });
      throw error;
    }
    const { text, truncated } = await extractText(format, content, name, MAX_TEXT_CHARS, context);
    const cut = truncated ? `\n[truncated at ${MAX_TEXT_CHARS} characters]` : '';
    return { structured: { ...metadata, format, text, truncated }, text: `${name} (${format}, ${item.size ?? content.byteLength} bytes)\n\n${text}${cut}` };
  },
});
