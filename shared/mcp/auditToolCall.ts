// One audit row per write-tool call: who, through which app, which tool on which item, and how it ended.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { actorOf, recipientsOf, type AuditLog } from '../audit/auditLog.js';
import { writeAudit } from '../audit/writeAudit.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { Logger } from '../log/logger.js';
import { activeTraceId } from '../telemetry/spans/traceContext.js';
import type { ToolDefinition } from '../tools/defineTool.js';
import { TOOL_ERROR_META_KEY } from './toolErrorResult.js';

export interface ToolCallRecord {
  readonly audit: AuditLog;
  readonly log: Logger;
  /** The request's own id; the tool error result quotes the same. */
  readonly correlationId: string;
  readonly caller: VerifiedCaller;
  readonly tool: ToolDefinition;
  readonly input: Record<string, unknown>;
  readonly structured: Record<string, unknown> | undefined;
  readonly result: CallToolResult;
  /** The call was refused before the tool ran (invalid arguments). */
  readonly refused: boolean;
  /**
   * `unknown` when the deadline passed after the write was sent; `refused` when the call was stopped before the tool
   * ran with its arguments valid (the person declined, or its state was refused): its target is kept. Otherwise the
   * outcome follows from `result`.
   */
  readonly outcome?: 'unknown' | 'refused';
}

/**
 * Writes the row within the Table deadline; a failed write is reported by `auditWriteFailed`, never turned into a
 * failure of an action that already happened.
 */
export async function auditToolCall(call: ToolCallRecord): Promise<void> {
  const error = call.result._meta?.[TOOL_ERROR_META_KEY] as { code?: string } | undefined;
  const { tool, input, structured } = call;
  // A refused call's input never passed the schema: nothing in it is worth keeping.
  const target = call.refused ? undefined : tool.auditTarget !== undefined ? tool.auditTarget(input) : typeof input.id === 'string' ? input.id : undefined;
  const created = structured !== undefined && tool.auditCreated !== undefined ? tool.auditCreated(structured) : undefined;
  const recipients = !call.refused && tool.auditRecipients !== undefined ? recipientsOf(tool.auditRecipients(input, structured)) : {};
  await writeAudit(call.audit, {
    time: Date.now(),
    ...actorOf(call.caller.identity),
    tool: tool.name,
    targetId: target,
    createdId: created === '' ? undefined : created,
    outcome: call.outcome ?? (call.refused ? 'refused' : call.result.isError === true ? 'failed' : 'succeeded'),
    errorCode: error?.code,
    correlationId: call.correlationId,
    traceId: activeTraceId(),
    ...recipients,
  }, call.log);
}
