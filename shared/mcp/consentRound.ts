// Missing consent as a 2026-07-28 client can show it: a URL elicitation the person opens, then the call runs again.
import { inputRequired, type InputRequest } from '@modelcontextprotocol/server';
import type { AuthError } from '../auth/authError.js';

/** The key of the consent link among a round's input requests. */
export const CONSENT_KEY = 'consent';

function message(toolName: string): string {
  return `${toolName} needs permissions in Microsoft 365 that your organization has not granted this server yet. Open the link to grant them (an administrator may need to), then continue.`;
}

export function consentRequest(error: AuthError, toolName: string): InputRequest | undefined {
  if (error.consentUrl === undefined) return undefined;
  return inputRequired.elicitUrl({ message: message(toolName), url: error.consentUrl });
}
