// What a POST body holds, read before the SDK sees it: its requests, their cost, their shape, and the write-tool calls in it.
import { HttpError } from '../http/httpError.js';
import type { ToolCatalog } from '../tools/catalog.js';

export type RequestId = string | number;

/** `modern`: MCP 2026-07-28, one message with its `_meta` envelope per POST; `legacy`: the 2025 revisions. */
export type Era = 'modern' | 'legacy';

export interface RequestMessage {
  readonly jsonrpc?: unknown;
  readonly id: RequestId;
  readonly method: string;
  readonly params?: unknown;
}

/**
 * Most messages in one batch. The SDK allows 100; each request may cost a Graph call and an OBO exchange,
 * and a client that needs more sends another POST, which the budget sees.
 */
export const MAX_BATCH_MESSAGES = 20;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON-RPC request: a method and an id. Notifications and responses need no answer and cost no budget. */
export function isRequest(message: unknown): message is RequestMessage {
  return isObject(message) && typeof message['method'] === 'string' && (typeof message['id'] === 'string' || typeof message['id'] === 'number');
}

export function messagesOf(body: unknown): readonly unknown[] {
  return Array.isArray(body) ? body : [body];
}

/** What the body costs the budget: one per request in it, and at least one per HTTP request. */
export function costOf(messages: readonly unknown[]): number {
  return Math.max(1, messages.filter(isRequest).length);
}

/**
 * Refuses bodies no client should send, before they cost more than one unit of budget. Throws `HttpError`
 * `invalid_request` (an empty batch, request ids repeated in a batch, `initialize` without an id) or
 * `batch_too_large`.
 */
export function checkShape(body: unknown): void {
  if (Array.isArray(body)) {
    // JSON-RPC 2.0 §6: a batch is "an Array with at least one value".
    if (body.length === 0) throw new HttpError('invalid_request', 'Invalid Request: an empty batch');
    if (body.length > MAX_BATCH_MESSAGES) {
      throw new HttpError('batch_too_large', `Invalid Request: a batch may hold at most ${MAX_BATCH_MESSAGES} messages; send the rest in another request`);
    }
    const ids = new Set<RequestId>();
    for (const message of body) {
      if (!isRequest(message)) continue;
      // Answers are matched to requests by id: a repeated id could never get both of its answers.
      if (ids.has(message.id)) throw new HttpError('invalid_request', 'Invalid Request: request ids in a batch must be unique');
      ids.add(message.id);
    }
  }
  for (const message of messagesOf(body)) {
    if (isObject(message) && message['method'] === 'initialize' && !('id' in message)) {
      // Without an id it would be a notification: nothing would answer it and no session could begin.
      throw new HttpError('invalid_request', 'Invalid Request: initialize is a request; send it with an id');
    }
  }
}

const NONE: ReadonlySet<RequestId> = new Set();

/**
 * Requests cancelled by a `notifications/cancelled` in the same batch, before or after them: the SDK takes
 * every request of a POST before it handles any notification, so it cancels both, and answers neither.
 */
export function cancelledInBatch(messages: readonly unknown[]): ReadonlySet<RequestId> {
  if (messages.length < 2) return NONE;
  const requested = new Set(messages.filter(isRequest).map((message) => message.id));
  const cancelled = new Set<RequestId>();
  for (const message of messages) {
    if (isObject(message) && message['method'] === 'notifications/cancelled' && isObject(message['params'])) {
      const id = message['params']['requestId'];
      if ((typeof id === 'string' || typeof id === 'number') && requested.has(id)) cancelled.add(id);
    }
  }
  return cancelled;
}

/** The name of a write tool a message calls, if it calls one: the calls the audit log must see. */
export function writeToolCalled(message: unknown, catalog: ToolCatalog): string | undefined {
  if (!isRequest(message) || message.method !== 'tools/call' || !isObject(message.params)) return undefined;
  const name = message.params['name'];
  if (typeof name !== 'string') return undefined;
  const tool = catalog.tools.get(name);
  return tool !== undefined && !tool.annotations.readOnlyHint ? tool.name : undefined;
}

/** Every write-tool call in the messages, in order. */
export function writeToolCalls(messages: readonly unknown[], catalog: ToolCatalog): string[] {
  return messages.map((message) => writeToolCalled(message, catalog)).filter((name): name is string => name !== undefined);
}
