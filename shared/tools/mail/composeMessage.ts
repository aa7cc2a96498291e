// The fields send_mail and create_draft share, and the Graph message they become.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { lazily } from '../schemas.js';

export const MAX_RECIPIENTS = 100;

/** The fields of a message to compose. */
export const composeFields = lazily(() => {
  /**
   * One bare address per entry: refuses `Name <a@b>` and `a@b, c@d` but leaves the fine print to Exchange,
   * and keeps the JSON Schema pattern short (zod's default one is ~150 characters, three times per tool).
   */
  const address = z.email({ pattern: /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/ }).max(320);
  const recipients = z.array(address).max(MAX_RECIPIENTS).default([]);
  return {
    to: recipients.describe('Email addresses'),
    cc: recipients.describe('Email addresses'),
    bcc: recipients.describe('Email addresses'),
    subject: z.string().min(1).max(255),
    body: z.string().max(100_000),
    bodyType: z.enum(['text', 'html']).default('text'),
  };
});

interface Composed {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly bodyType: 'text' | 'html';
}

/** Every address in to, cc and bcc, for the audit log (which keeps only their count and domains). */
export function allRecipients(message: Pick<Composed, 'to' | 'cc' | 'bcc'>): string[] {
  return [...message.to, ...message.cc, ...message.bcc];
}

/** Distinct addresses across to, cc and bcc: Exchange delivers once per address. */
export function recipientCount(message: Pick<Composed, 'to' | 'cc' | 'bcc'>): number {
  return new Set([...message.to, ...message.cc, ...message.bcc].map((address) => address.toLowerCase())).size;
}

export const withinRecipientLimit = (message: Pick<Composed, 'to' | 'cc' | 'bcc'>) =>
  message.to.length + message.cc.length + message.bcc.length <= MAX_RECIPIENTS;
export const recipientLimitError = { message: `At most ${MAX_RECIPIENTS} recipients in to, cc and bcc together`, path: ['to'] };

export function toGraphMessage(message: Composed): MicrosoftGraph.Message {
  const recipientsOf = (addresses: readonly string[]): MicrosoftGraph.Recipient[] => addresses.map((address) => ({ emailAddress: { address } }));
  return {
    subject: message.subject,
    body: { contentType: message.bodyType, content: message.body },
    toRecipients: recipientsOf(message.to),
    ccRecipients: recipientsOf(message.cc),
    bccRecipients: recipientsOf(message.bcc),
  };
}
