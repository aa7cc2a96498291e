// send_chat_message: posts a plain-text message as the signed-in user to one of their existing Teams chats.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { graphId, lazily } from '../schemas.js';

/** Teams' own limit for one message is about 28 KB of HTML; plain text well under it. */
export const MAX_SEND_CHARS = 20_000;

export const messageTextInput = lazily(() => z.string().trim().min(1).max(MAX_SEND_CHARS).describe('Plain text, sent as is'));

export const sentOutput = lazily(() => z.object({ id: z.string(), createdDateTime: z.string().optional(), webUrl: z.string().optional() }));

/** Graph's answer to a post, as the tools return it. */
export function toSent(message: MicrosoftGraph.ChatMessage): z.input<ReturnType<typeof sentOutput>> {
  return {
    id: message.id ?? '',
    ...(message.createdDateTime != null && { createdDateTime: message.createdDateTime }),
    ...(message.webUrl != null && { webUrl: message.webUrl }),
  };
}

export const sendChatMessage = defineTool({
  name: 'send_chat_message',
  title: 'Send a Teams chat message',
  description: 'Send a text message as you to an existing Teams chat (id from list_chats). Members see it at once.',
  scopes: ['ChatMessage.Send'],
  input: () => z.object({ chatId: graphId().describe('From list_chats'), text: messageTextInput() }),
  output: () => sentOutput(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  auditTarget: (input) => input.chatId,
  auditCreated: (output) => output.id,
  checkOutcome: 'read the chat\'s newest messages with list_chat_messages',
  confirm: (input) => ({ action: 'Send a message in a Teams chat', targets: [`Chat: ${input.chatId}`], preview: input.text }),
  handler: async (input, { graph }) => {
    // contentType text: Teams shows the characters as typed, so the text cannot inject markup or mentions.
    const sent = await graph.post<MicrosoftGraph.ChatMessage>(`/chats/${encodeURIComponent(input.chatId)}/messages`, { body: { contentType: 'text', content: input.text } });
    const structured = toSent(sent);
    return { structured, text: `Sent to chat ${input.chatId} (message id ${structured.id}).` };
  },
});
