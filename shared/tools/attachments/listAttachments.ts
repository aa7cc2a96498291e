// list_attachments / list_event_attachments: what is attached to a message or an event, never its content.
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, lazily, nextCursorOutput, nullAsAbsent } from '../schemas.js';
import { ATTACHMENT_SELECT, kindOf, kindOutput, parentIdOf, parentIdShape, type AttachmentParent } from './attachmentParent.js';

export const AttachmentSummary = lazily(() => z.object({
  id: z.string(),
  name: nullAsAbsent(z.string()),
  contentType: nullAsAbsent(z.string()),
  size: nullAsAbsent(z.number()),
  isInline: nullAsAbsent(z.boolean()),
  kind: kindOutput(),
}));

interface GraphAttachment {
  readonly '@odata.type'?: unknown;
  readonly id?: unknown;
  readonly name?: string | null;
  readonly contentType?: string | null;
  readonly size?: number | null;
  readonly isInline?: boolean | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** One attachment as the tools show it; Graph's fields of the wrong type are left out. */
export function toAttachmentSummary(attachment: GraphAttachment): z.input<ReturnType<typeof AttachmentSummary>> {
  return {
    id: text(attachment.id) ?? '',
    name: text(attachment.name),
    contentType: text(attachment.contentType),
    size: number(attachment.size),
    isInline: typeof attachment.isInline === 'boolean' ? attachment.isInline : undefined,
    kind: kindOf(attachment['@odata.type']),
  };
}

export function describeAttachment(attachment: z.input<ReturnType<typeof AttachmentSummary>>): string {
  const size = attachment.size === undefined || attachment.size === null ? '' : `, ${attachment.size} bytes`;
  return `${attachment.name ?? '(unnamed)'} (${attachment.kind}${attachment.isInline === true ? ', inline' : ''}${size}) id ${attachment.id}`;
}

export function listAttachmentsTool<Field extends string>(parent: AttachmentParent<Field>) {
  return defineTool({
    name: parent.listTool,
    title: `List ${parent.noun} attachments`,
    description: `Attachments of one of your ${parent.noun}s: name, type, size, inline or not, kind. Read one with ${parent.readTool}.`,
    scopes: [parent.scope],
    input: () => z.object({ ...parentIdShape(parent), cursor: cursorInput() }),
    output: () => z.object({ attachments: z.array(AttachmentSummary()), nextCursor: nextCursorOutput() }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, { graph }) => {
      const { cursor } = input as { readonly cursor?: string };
      const page = await listPage<GraphAttachment>(graph, {
        tool: parent.listTool,
        path: `${parent.path(parentIdOf(parent, input))}/attachments`,
        options: { query: { $select: ATTACHMENT_SELECT } },
        cursor,
      });
      const attachments = page.items.map(toAttachmentSummary);
      const lines = attachments.length === 0 ? [`The ${parent.noun} has no attachments.`] : attachments.map(describeAttachment);
      if (page.nextCursor !== undefined) lines.push('More attachments: call again with nextCursor.');
      return { structured: { attachments, nextCursor: page.nextCursor }, text: lines.join('\n') };
    },
  });
}
