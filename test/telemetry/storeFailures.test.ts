// Table Storage down: the failed operation's span and metric, and the audit row that could not be written, counted by tool.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTableAuditLog } from '../../shared/audit/tableAuditLog.js';
import { createTableClients } from '../../shared/tables/tableClients.js';
import { METRIC } from '../../shared/telemetry/attributes/names.js';
import { azuriteConnectionString } from '../../sandbox/azurite.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { installMemoryTelemetry } from './memoryTelemetry.js';

const telemetry = installMemoryTelemetry();
afterAll(() => telemetry.shutdown());
beforeEach(() => telemetry.reset());

const entry = (tool: string) => ({
  time: Date.now(), tid: ADELE.tid, oid: ADELE.oid, upn: ADELE.upn, name: ADELE.name, appId: undefined,   tool, targetId: undefined, outcome: 'succeeded' as const, errorCode: undefined, correlationId: 'c',
});

describe('Table Storage that refuses connections', () => {
  it('fails the operation\'s span, counts a Table failure, and counts the audit row unwritten under its tool (or _OTHER)', async () => {
    // Nothing listens on port 1: every operation is refused at once.
    const connection = { kind: 'connectionString' as const, connectionString: azuriteConnectionString(1) };
    const tables = createTableClients({ connection, managedIdentityClientId: undefined, prefix: 'down', deadlineMs: 2_000 });
    const audit = createTableAuditLog(tables, new Set(['send_mail']));

    await expect(audit.record(entry('send_mail'))).rejects.toMatchObject({ code: 'unavailable' });
    await expect(audit.record(entry('<script>what a caller sent</script>'))).rejects.toMatchObject({ code: 'unavailable' });

    const span = telemetry.spans().find((candidate) => candidate.name === 'createEntity downAudit');
    expect(span?.attributes).toMatchObject({ 'db.system.name': 'azure.tables', 'db.collection.name': 'downAudit', 'db.operation.name': 'createEntity', 'error.type': 'unavailable' });
    expect(await telemetry.total(METRIC.tableFailures, { 'db.collection.name': 'downAudit', 'db.operation.name': 'createEntity', 'onbehalf.error.code': 'unavailable' })).toBe(2);
    expect(await telemetry.total(METRIC.auditUnwritten, { 'gen_ai.tool.name': 'send_mail', 'onbehalf.error.code': 'unavailable' })).toBe(1);
    expect(await telemetry.total(METRIC.auditUnwritten, { 'gen_ai.tool.name': '_OTHER' })).toBe(1);
  });
});
