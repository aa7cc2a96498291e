// Multi-round tools/call (2026-07-28): the state a round brings is used once and must be this caller's, for this
// call; a tool that sends, posts, forwards or deletes asks the person first; missing consent is a link to open.
import { inputRequired, ProtocolError, ProtocolErrorCode, type CallToolResult, type InputRequest, type InputRequiredResult } from '@modelcontextprotocol/server';
import type { AuthError } from '../auth/authError.js';
import type { VerifiedCaller } from '../auth/identity.js';
import { bindingOf, type CallBinding } from '../requestState/callBinding.js';
import { RequestStateError } from '../requestState/requestStateError.js';
import { STATE_TTL_SECONDS } from '../requestState/stateSeal.js';
import type { ToolDefinition } from '../tools/defineTool.js';
import { auditToolCall } from './auditToolCall.js';
import { CONFIRM_KEY, confirmationRequest, notConfirmed } from './confirmation.js';
import { CONSENT_KEY, consentRequest } from './consentRound.js';
import type { ServerDependencies } from './createServer.js';
import { answerTo, type InputRound } from './inputRound.js';
import { toolErrorResult } from './toolErrorResult.js';

export interface CallInRound {
  readonly deps: ServerDependencies;
  readonly caller: VerifiedCaller;
  readonly tool: ToolDefinition;
  /** The arguments as the tool's schema parsed them. */
  readonly input: Record<string, unknown>;
  readonly round: InputRound;
}

/** Before the tool runs: go ahead (the person confirmed, or nothing needs confirming), or answer now. */
export type Verdict = { readonly go: true; readonly confirmed: boolean } | { readonly go: false; readonly answer: CallToolResult | InputRequiredResult };

/** The JSON-RPC error every refused state gets, worded as the SDK words its own: the audit row says which refusal. */
export function stateRefused(): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid or expired requestState', { reason: 'invalid_request_state' });
}

const audited = (call: CallInRound, result: CallToolResult, outcome?: 'refused') =>
  auditToolCall({ ...call.deps, caller: call.caller, tool: call.tool, input: call.input, structured: undefined, result, refused: false, ...(outcome !== undefined && { outcome }) });

/**
 * Whether the call's tool must have the person's accept before it acts: it sends, posts, forwards or deletes, the
 * deployment confirms writes, and the client can show a form (2026-07-28 only; see README, "Confirm before acting").
 */
function needsConfirmation(call: CallInRound): boolean {
  return call.tool.confirm !== undefined && call.deps.ask.confirmWrites === 'elicit' && call.round.era === 'modern' && call.round.form;
}

/** A new round's input_required result: `requests`, and the state that binds the answers to this caller and call. */
async function nextRound(call: CallInRound, binding: CallBinding, requests: Record<string, InputRequest>, confirmed: boolean): Promise<InputRequiredResult> {
  const { seal, states } = call.deps.ask;
  if (seal === undefined) return inputRequired({ inputRequests: requests });
  const id = await states.create(binding, Date.now() + STATE_TTL_SECONDS * 1000);
  return inputRequired({ inputRequests: requests, requestState: await seal.seal({ id, confirmed }) });
}

/** Store failures while opening a round end the call with a tool error: nothing was asked, nothing was done. */
async function orUnavailable(call: CallInRound, open: () => Promise<InputRequiredResult>): Promise<InputRequiredResult | CallToolResult> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof RequestStateError)) throw error;
    call.deps.log.warn('request state not recorded', { tool: call.tool.name, code: error.code, correlationId: call.deps.correlationId });
    const result = toolErrorResult('unavailable', `${call.tool.name}: this server could not ask you to confirm right now; nothing was sent or changed.`, 'Try again in a minute.');
    if (call.tool.confirm !== undefined) await audited(call, result);
    return result;
  }
}

/**
 * Settles what the round brings before the tool runs: its state used once (refused with `stateRefused()`, and an
 * audit row for a write tool, when it is not this caller's, for this call, unused and live), then the confirmation.
 */
export async function beforeTool(call: CallInRound): Promise<Verdict> {
  let confirmed = false;
  if (call.round.state !== undefined) {
    try {
      await call.deps.ask.states.consume(call.round.state.id, bindingOf(call.caller.identity, call.tool.name, call.input));
    } catch (error) {
      if (!(error instanceof RequestStateError)) throw error;
      call.deps.log.warn('request state refused', { tool: call.tool.name, code: error.code, correlationId: call.deps.correlationId });
      if (!call.tool.annotations.readOnlyHint) await audited(call, toolErrorResult(error.code, error.message, ''), 'refused');
      throw stateRefused();
    }
    confirmed = call.round.state.confirmed;
  }
  if (!needsConfirmation(call) || confirmed) return { go: true, confirmed };

  // Answers count only with a state this server sealed for this call: an accept sent on a first round is no accept.
  const answer = call.round.state === undefined ? undefined : answerTo(call.round, CONFIRM_KEY);
  if (answer === 'accept') return { go: true, confirmed: true };
  if (answer === 'decline' || answer === 'cancel') {
    const result = notConfirmed(call.tool, answer);
    await audited(call, result, 'refused');
    return { go: false, answer: result };
  }
  const confirmation = call.tool.confirm?.(call.input);
  if (confirmation === undefined) return { go: true, confirmed };
  const binding = bindingOf(call.caller.identity, call.tool.name, call.input);
  return { go: false, answer: await orUnavailable(call, () => nextRound(call, binding, { [CONFIRM_KEY]: confirmationRequest(confirmation) }, false)) };
}

/**
 * After the exchange for a Graph token needed consent: a URL elicitation for a 2026-07-28 client that declared URL
 * mode (unless this round already answered one: then the tool error, not the same question again); undefined for
 * the tool error with the link everyone else gets. A 2025-11-25 client declares its capabilities in `initialize`
 * only, which a stateless server never sees beside a later tools/call (and that revision has no batches), so the
 * -32042 error, which it may only send to a client that declared URL mode, is never sent.
 */
export async function askForConsent(call: CallInRound, error: AuthError, confirmed: boolean): Promise<InputRequiredResult | CallToolResult | undefined> {
  if (call.round.era !== 'modern' || !call.round.url) return undefined;
  if (answerTo(call.round, CONSENT_KEY) !== undefined) return undefined;
  const request = consentRequest(error, call.tool.name);
  if (request === undefined) return undefined;
  const binding = bindingOf(call.caller.identity, call.tool.name, call.input);
  return await orUnavailable(call, () => nextRound(call, binding, { [CONSENT_KEY]: request }, confirmed));
}
