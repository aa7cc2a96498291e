// read_attachment / read_event_attachment: the text of a file attached to a message or an event (the formats and caps
// of read_file), what an attached item is and says, or what a link to a cloud file is. The content comes as raw bytes
// (`/$value`) under a byte cap, never as base64 in JSON.
import * as z from 'zod';
import { capText } from '../../documents/capText.js';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { convertedOrNotShown } from '../documentText.js';
import { extractText, formatOf, TEXT_FORMATS } from '../files/extractText.js';
import { MAX_FILE_BYTES, MAX_TEXT_CHARS } from '../files/readFile.js';
import { graphId } from '../schemas.js';
import { ATTACHMENT_SELECT, parentIdOf, parentIdShape, type AttachmentParent } from './attachmentParent.js';
import { AttachmentSummary, toAttachmentSummary } from './listAttachments.js';

/** Larger attachments are refused before any byte is downloaded, or as soon as the download passes it. */
export const MAX_ATTACHMENT_BYTES = MAX_FILE_BYTES;

interface AttachedItem {
  readonly '@odata.type'?: unknown;
  readonly subject?: unknown;
  readonly from?: { readonly emailAddress?: { readonly name?: unknown; readonly address?: unknown } | null } | null;
  readonly organizer?: { readonly emailAddress?: { readonly name?: unknown; readonly address?: unknown } | null } | null;
  readonly sentDateTime?: unknown;
  readonly start?: { readonly dateTime?: unknown } | null;
  readonly body?: { readonly contentType?: unknown; readonly content?: unknown } | null;
  readonly displayName?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function who(person: AttachedItem['from']): string | undefined {
  const name = text(person?.emailAddress?.name);
  const address = text(person?.emailAddress?.address);
  return name !== undefined && address !== undefined ? `${name} <${address}>` : name ?? address;
}

export function readAttachmentTool<Field extends string>(parent: AttachmentParent<Field>) {
  return defineTool({
    name: parent.readTool,
    title: `Read ${parent.noun} attachment`,
    description: `Text of a file attached to one of your ${parent.noun}s (read_file's types, up to 4 MiB), or what an attached item or cloud-file link is.`,
    scopes: [parent.scope],
    input: () => z.object({ ...parentIdShape(parent), attachmentId: graphId().describe(`Attachment id from ${parent.listTool}`) }),
    output: () => AttachmentSummary().extend({
      format: z.enum(TEXT_FORMATS).optional(),
      // An attached item's type (message, event, contact), subject, and sender or organizer.
      itemType: z.string().optional(),
      subject: z.string().optional(),
      from: z.string().optional(),
      text: z.string().optional(),
      truncated: z.boolean().describe(`Text cut at ${MAX_TEXT_CHARS} characters`),
      // The parent in Outlook, for a cloud-file link.
      webLink: z.string().optional(),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, context) => {
      const { graph } = context;
      const { attachmentId } = input as { readonly attachmentId: string };
      const parentPath = parent.path(parentIdOf(parent, input));
      const path = `${parentPath}/attachments/${encodeURIComponent(attachmentId)}`;
      const summary = toAttachmentSummary(await graph.get(path, { query: { $select: ATTACHMENT_SELECT } }));
      const metadata = { ...summary, id: summary.id === '' ? attachmentId : summary.id };
      const name = metadata.name ?? attachmentId;

      if (metadata.kind === 'reference') {
        // Graph v1.0 gives no address for a link to a cloud file, and its content is not Graph's to give (405 on /$value).
        const { webLink } = await graph.get<{ webLink?: unknown }>(parentPath, { query: { $select: 'webLink' } });
        const link = text(webLink);
        return {
          structured: { ...metadata, truncated: false, ...(link !== undefined && { webLink: link }) },
          text: `${name} is a link to a file in the cloud, not a copy; Microsoft Graph does not give its address. Open it from the ${parent.noun} in Outlook${link === undefined ? '' : `: ${link}`}, or find it with search_files.`,
        };
      }

      if (metadata.kind === 'item') {
        const expanded = await graph.get<{ item?: AttachedItem | null }>(path, { query: { $expand: 'microsoft.graph.itemattachment/item' } });
        const item = expanded.item ?? {};
        const itemType = text(item['@odata.type'])?.replace(/^#microsoft\.graph\./, '') ?? 'item';
        const subject = text(item.subject) ?? text(item.displayName);
        const from = who(item.from) ?? who(item.organizer);
        const dateTime = text(item.sentDateTime) ?? text(item.start?.dateTime);
        const content = text(item.body?.content) ?? '';
        const body = item.body?.contentType === 'html'
          ? await convertedOrNotShown(context, { format: 'html', content, name, maxChars: MAX_TEXT_CHARS }, 'Its body')
          : capText(content, MAX_TEXT_CHARS);
        const structured = {
          ...metadata, itemType, truncated: body.truncated,
          ...(subject !== undefined && { subject }), ...(from !== undefined && { from }),
          ...(body.text !== '' && { text: body.text }),
        };
        const head = [`${name}: an attached ${itemType}`, subject === undefined ? '' : ` "${subject}"`, from === undefined ? '' : ` from ${from}`, dateTime === undefined ? '' : ` (${dateTime})`].join('');
        return { structured, text: `${head}\n\n${body.text}${body.truncated ? `\n[truncated at ${MAX_TEXT_CHARS} characters]` : ''}`.trim() };
      }

      const format = metadata.kind === 'file' ? formatOf(metadata.name, metadata.contentType) : undefined;
      if (format === undefined) {
        return {
          structured: { ...metadata, truncated: false },
          text: `${name}: text extraction is not supported for this ${metadata.kind === 'file' ? `type (${metadata.contentType ?? 'unknown'})` : 'kind of attachment'}.`,
        };
      }
      const tooLarge = (cause?: unknown) => new GraphError('too_large', `${name} is larger than ${MAX_ATTACHMENT_BYTES} bytes; ${parent.readTool} reads attachments up to that size. Open it in Outlook`, { cause });
      // Graph's size counts the stored attachment, a little more than its content: a larger one cannot fit.
      if ((metadata.size ?? 0) > MAX_ATTACHMENT_BYTES * 1.1) throw tooLarge();
      let content: Buffer;
      try {
        content = await graph.getBytes(`${path}/$value`, { maxBytes: MAX_ATTACHMENT_BYTES });
      } catch (error) {
        if (error instanceof GraphError && error.code === 'too_large') throw tooLarge(error);
        throw error;
      }
      const { text: extracted, truncated } = await extractText(format, content, name, MAX_TEXT_CHARS, context);
      const cut = truncated ? `\n[truncated at ${MAX_TEXT_CHARS} characters]` : '';
      return { structured: { ...metadata, format, text: extracted, truncated }, text: `${name} (${format}, ${content.byteLength} bytes)\n\n${extracted}${cut}` };
    },
  });
}
