// The mail tools, in the order clients should see them.
import { messageAttachmentTools } from '../attachments/attachmentTools.js';
import type { ToolDefinition } from '../defineTool.js';
import { createDraft } from './createDraft.js';
import { forwardMessage } from './forwardMessage.js';
import { getMessage } from './getMessage.js';
import { listMessages } from './listMessages.js';
import { replyToMessage } from './replyToMessage.js';
import { searchMessages } from './searchMessages.js';
import { sendMail } from './sendMail.js';

export const mailTools = [
  ...[listMessages, searchMessages, getMessage] as unknown as readonly ToolDefinition[],
  ...messageAttachmentTools,
  ...[createDraft, sendMail, replyToMessage, forwardMessage] as unknown as readonly ToolDefinition[],
];
