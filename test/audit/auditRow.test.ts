// Audit rows hold bounded, clean text whoever writes them: no megabyte tool names, forged lines, terminal escapes or NULs.
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit/auditLog.js';
import { AUDIT_LIMITS, MAX_RECIPIENT_DOMAINS, toAuditRow } from '../../shared/audit/auditRow.js';
import { createTableAuditLog } from '../../shared/audit/tableAuditLog.js';
import { TOOLS } from '../../shared/tools/catalog.js';
import { auditWriteFailed } from '../../shared/audit/writeAudit.js';
import type { LogFields } from '../../shared/log/logger.js';
import { createTableClients } from '../../shared/tables/tableClients.js';
import { StoreError } from '../../shared/tables/storeError.js';

const TID = '7d0c1a4e-6b1f-4c55-9d3a-1a2b3c4d5e6f';
// CR/LF (a forged second line), NUL, an ANSI colour escape, DEL, a C1 control, a bidi override, a line separator, a lone surrogate.
const HOSTILE = 'a\r\nb\u0000c\u001b[31mred\u001b[0m\u007f\u0085\u202etxt.exe\u2028x\ud800y';
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202e\u2028]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: Date.now(),
    tid: TID,
    oid: '3e5f7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6',
    upn: 'adele@contoso.example',
    name: 'Adele Vance',
    appId: 'c0ffee00-5a1e-4b0b-9e1f-a0d17a0d17a0',
    tool: 'send_mail',
    targetId: undefined,
    outcome: 'refused',
    errorCode: 'input_invalid',
    correlationId: randomUUID(),
    ...overrides,
  };
}

const hostileEntry = () => entry({
  tool: `${HOSTILE}${'x'.repeat(600_000)}`,
  upn: HOSTILE,
  name: `${HOSTILE}${'n'.repeat(5000)}`,
  appId: HOSTILE,
  targetId: `${HOSTILE}${'t'.repeat(10_000)}`,
  createdId: `${HOSTILE}${'m'.repeat(10_000)}`,
  errorCode: HOSTILE,
  correlationId: `x/y\\z#?\r\n${'c'.repeat(500)}`,
});

describe('what the row of each write tool names', () => {
  const writes = TOOLS.filter((tool) => !tool.annotations.readOnlyHint);
  // The user's own mailbox or calendar: nothing in the input names where they act.
  const actsOnTheUser = new Set(['send_mail', 'create_draft', 'create_event']);

  it('every write tool names where it acts from its input alone, so a failed call names it too', () => {
    for (const tool of writes.filter((candidate) => !actsOnTheUser.has(candidate.name))) {
      const byId = 'id' in tool.input.shape;
      expect(byId || tool.auditTarget !== undefined, tool.name).toBe(true);
    }
  });

  it('every write tool that creates something with an id records it', () => {
    const creating = writes.filter((tool) => !tool.annotations.idempotentHint && 'id' in tool.output.shape);
    expect(creating.map((tool) => tool.name).sort()).toEqual(['create_draft', 'create_event', 'create_task', 'post_channel_message', 'send_chat_message']);
    for (const tool of creating) expect(tool.auditCreated, tool.name).toBeDefined();
  });
});

describe('toAuditRow', () => {
  it('cuts every caller-supplied column to its bound, marking the cut, and replaces controls, bidi overrides and lone surrogates', () => {
    const row = toAuditRow(hostileEntry());
    for (const column of ['tool', 'upn', 'name', 'appId', 'targetId', 'createdId', 'errorCode', 'correlationId'] as const) {
      const value = row[column] ?? '';
      expect(value.length, column).toBeLessThanOrEqual(AUDIT_LIMITS[column]);
      expect(value, column).not.toMatch(UNSAFE);
    }
    expect(row.tool).toHaveLength(AUDIT_LIMITS.tool);
    expect(row.tool.endsWith('…')).toBe(true);
    expect(row.upn).toBe('a\ufffd\ufffdb\ufffdc\ufffd[31mred\ufffd[0m\ufffd\ufffd\ufffdtxt.exe\ufffdx\ufffdy');
    // Part of the row key: only characters Table keys accept.
    expect(row.correlationId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });

  it('keeps clean values as they are and leaves absent ones absent', () => {
    const clean = entry({ targetId: 'AAMkAGI2TG93AAA=' });
    const row = toAuditRow(clean);
    expect(row).toEqual({
      time: clean.time, tid: clean.tid, oid: clean.oid, upn: clean.upn, name: clean.name, appId: clean.appId,
      tool: 'send_mail', targetId: 'AAMkAGI2TG93AAA=', outcome: 'refused', errorCode: 'input_invalid', correlationId: clean.correlationId,
    });
    expect('recipientDomains' in toAuditRow(entry())).toBe(false);
  });

  it('stores at most ten recipient domains, sorted and distinct, then how many more', () => {
    const domains = Array.from({ length: 14 }, (_, n) => `D${String(n).padStart(2, '0')}.example`);
    const row = toAuditRow(entry({ recipientCount: 20, recipientDomains: [...domains, 'd00.example', 'evil,\r\n.example'] }));
    const listed = (row.recipientDomains ?? '').split(',');
    expect(listed).toHaveLength(MAX_RECIPIENT_DOMAINS + 1);
    expect(listed.slice(0, 10)).toEqual(domains.slice(0, 10).map((domain) => domain.toLowerCase()));
    expect(listed.at(-1)).toBe('+5 more');
    expect(row.recipientDomains).not.toMatch(UNSAFE);
    expect(row.recipientCount).toBe(20);
  });
});

describe('the Table audit log', () => {
  it('writes a row for a hostile entry (600,000-character tool name and all), bounded and clean', async () => {
    const prefix = `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const connectionString = inject('tablesConnectionString');
    const audit = createTableAuditLog(createTableClients({ connection: { kind: 'connectionString', connectionString }, managedIdentityClientId: undefined, prefix }), new Set(['send_mail']));
    const hostile = hostileEntry();
    await audit.record(hostile);

    const rows: Record<string, unknown>[] = [];
    for await (const row of TableClient.fromConnectionString(connectionString, `${prefix}Audit`, { allowInsecureConnection: true }).listEntities()) rows.push(row);
    expect(rows).toHaveLength(1);
    const [row] = rows as [Record<string, unknown>];
    expect(row).toMatchObject({ tid: TID, outcome: 'refused' });
    expect((row['tool'] as string).startsWith('a\ufffd\ufffdb')).toBe(true);
    for (const [column, value] of Object.entries(row)) {
      if (typeof value !== 'string' || column === 'etag' || column === 'timestamp') continue;
      expect(value.length, column).toBeLessThanOrEqual(512);
      expect(value, column).not.toMatch(UNSAFE);
    }
  });
});

describe('a row that could not be written', () => {
  it('is reported once, as audit_write_failed with tool, tenant and correlation id, bounded and clean', () => {
    const logged: { level: string; message: string; fields: LogFields | undefined }[] = [];
    const log = {
      info: (message: string, fields?: LogFields) => logged.push({ level: 'info', message, fields }),
      warn: (message: string, fields?: LogFields) => logged.push({ level: 'warn', message, fields }),
      error: (message: string, fields?: LogFields) => logged.push({ level: 'error', message, fields }),
    };
    const hostile = hostileEntry();
    auditWriteFailed(log, hostile, new StoreError('unavailable', 'write audit row: Table Storage did not answer within 5000 ms'));
    expect(logged).toHaveLength(1);
    const [line] = logged as [typeof logged[number]];
    expect(line).toMatchObject({ level: 'error', message: 'audit_write_failed', fields: { tenant: TID, outcome: 'refused', reason: 'unavailable' } });
    expect((line.fields?.['tool'] as string).length).toBeLessThanOrEqual(AUDIT_LIMITS.tool);
    expect(line.fields?.['tool']).not.toMatch(UNSAFE);
    expect(line.fields?.['correlationId']).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });
});
