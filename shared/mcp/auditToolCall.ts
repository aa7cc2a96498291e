// One audit row per write-tool call: who, through which app, which tool on which item, and how it ended.
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { actorOf, type AuditLog } from '../audit/auditLog.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { Logger } from '../log/logger.js';
import type { ToolDefinition } from '../tools/defineTool.js';
import { TOOL_ERROR_META_KEY } from './toolErrorResult.js';

export interface ToolCallRecord {
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly sessionId: string | undefined;
  readonly caller: VerifiedCaller;
  readonly tool: ToolDefinition;
  readonly input: Record<string, unknown>;
  readonly structured: Record<string, unknown> | undefined;
  readonly result: CallToolResult;
  /** The call was refused before the tool ran (invalid arguments). */
  readonly refused: boolean;
}

/** Writes the row; a failed write is logged, never turned into a failure of an action that already happened. */
export async function auditToolCall(call: ToolCallRecord): Promise<void> {
  const error = call.result._meta?.[TOOL_ERROR_META_KEY] as { code?: string; correlationId?: string } | undefined;
  const byDefault = typeof call.input.id === 'string' ? call.input.id : typeof call.structured?.id === 'string' ? call.structured.id : undefined;
  await call.audit.record({
    time: Date.now(),
    ...actorOf(call.caller.identity),
    sessionId: call.sessionId,
    tool: call.tool.name,
    targetId: call.tool.auditTarget !== undefined ? call.tool.auditTarget(call.input, call.structured) : byDefault,
    outcome: call.refused ? 'refused' : call.result.isError === true ? 'failed' : 'succeeded',
    errorCode: error?.code,
    correlationId: error?.correlationId ?? randomUUID(),
  }).catch((failure: unknown) => call.log.error('audit row not written', { tool: call.tool.name, error: failure instanceof Error ? failure.message : String(failure) }));
}
