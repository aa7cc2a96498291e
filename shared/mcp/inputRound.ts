// What one tools/call round brings from the client: its era, which elicitation modes it declared, and the answers
// and sealed state of an earlier round (2026-07-28 multi-round requests).
import { CLIENT_CAPABILITIES_META_KEY, type ClientCapabilities, type ServerContext } from '@modelcontextprotocol/server';
import type { SealedState } from '../requestState/stateSeal.js';
import type { Era } from './jsonRpcMessages.js';

export interface InputRound {
  readonly era: Era;
  /** Form-mode elicitation declared (a bare `elicitation: {}` counts, as the revision says). */
  readonly form: boolean;
  /** URL-mode elicitation declared. */
  readonly url: boolean;
  /** The state this round carries, as the SDK's verification hook opened it (seal and lifetime checked). */
  readonly state: SealedState | undefined;
  /** The client's answers by input key; untrusted, read only through `answerTo`. */
  readonly responses: Readonly<Record<string, unknown>> | undefined;
}

/** What the client answered to the input request `key`: only these three, anything else is no answer. */
export type Answer = 'accept' | 'decline' | 'cancel';

/**
 * The round of `ctx`. On 2026-07-28 the capabilities are the request's own envelope. A 2025-era client declares
 * them in `initialize` only, which a stateless server never sees beside a later call: it is asked nothing.
 */
export function readRound(era: Era, ctx: ServerContext): InputRound {
  // The SDK has validated the envelope against the revision's schema; its declared type names no keys.
  const envelope = ctx.mcpReq.envelope as Readonly<Record<string, unknown>> | undefined;
  const capabilities = era === 'modern' ? envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined : undefined;
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  const form = elicitation !== undefined && (elicitation['form'] !== undefined || elicitation['url'] === undefined);
  return {
    era,
    form,
    url: elicitation?.['url'] !== undefined,
    state: era === 'modern' ? ctx.mcpReq.requestState<SealedState>() : undefined,
    responses: era === 'modern' ? ctx.mcpReq.inputResponses : undefined,
  };
}

export function answerTo(round: InputRound, key: string): Answer | undefined {
  const response = round.responses?.[key];
  if (typeof response !== 'object' || response === null) return undefined;
  const action = (response as Record<string, unknown>)['action'];
  return action === 'accept' || action === 'decline' || action === 'cancel' ? action : undefined;
}
