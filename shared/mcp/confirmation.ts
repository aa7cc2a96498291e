// The form elicitation that shows the person exactly what a tool will send, post, forward or delete, and the
// answers that end the call without acting.
import { inputRequired, type CallToolResult, type InputRequest } from '@modelcontextprotocol/server';
import type { Confirmation, ToolDefinition } from '../tools/defineTool.js';
import { toolErrorResult } from './toolErrorResult.js';

/** The key of the confirmation among a round's input requests. */
export const CONFIRM_KEY = 'confirm';

/** Longest preview shown; the rest is counted, not shown (a form is not a mail reader). */
export const MAX_PREVIEW_CHARS = 2_000;
/** Longest target shown (an address is at most 320; a chat or channel name far less). */
const MAX_TARGET_CHARS = 400;

// What could make the form say something other than what will happen: controls that start a new line or move the
// cursor, line and paragraph separators, and bidirectional overrides that reorder an address on screen.
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function line(value: string): string {
  const clean = value.replace(UNSAFE_IN_LINE, '\ufffd');
  return clean.length > MAX_TARGET_CHARS ? `${clean.slice(0, MAX_TARGET_CHARS - 1)}…` : clean;
}

/** The preview, cut at `MAX_PREVIEW_CHARS` with what was left out counted. */
export function previewOf(text: string): string {
  const clean = text.replace(UNSAFE_IN_TEXT, '\ufffd');
  if (clean.length <= MAX_PREVIEW_CHARS) return clean;
  return `${clean.slice(0, MAX_PREVIEW_CHARS)}… (${clean.length - MAX_PREVIEW_CHARS} more characters not shown)`;
}

/** The message the person reads: the action, every target on its own line, and the text. */
export function confirmationMessage(confirmation: Confirmation): string {
  const targets = confirmation.targets.map((target) => `  • ${line(target)}`).join('\n');
  const preview = confirmation.preview === undefined || confirmation.preview === '' ? '' : `\n\n${previewOf(confirmation.preview)}`;
  return `${line(confirmation.action)}\n\n${targets}${preview}\n\nAccept to let the agent do this for you; decline to stop it.`;
}

/** The form elicitation of `confirmation`: nothing to fill in, the answer is accept or decline. */
export function confirmationRequest(confirmation: Confirmation): InputRequest {
  return inputRequired.elicit({ message: confirmationMessage(confirmation), requestedSchema: { type: 'object', properties: {} } });
}

/** The result of a call the person declined or dismissed: nothing was done, and the agent must not try again by itself. */
export function notConfirmed(tool: ToolDefinition, answer: 'decline' | 'cancel'): CallToolResult {
  return answer === 'decline'
    ? toolErrorResult('confirmation_declined', `${tool.name}: you declined; nothing was sent or changed.`, 'Do not call the tool again for this unless the user asks for it anew.')
    : toolErrorResult('confirmation_cancelled', `${tool.name}: the confirmation was dismissed; nothing was sent or changed.`, 'Ask the user whether to go ahead before calling the tool again.');
}
