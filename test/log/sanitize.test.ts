// What reaches a log line from outside is bounded and has no characters that could forge or hide a line.
import { describe, expect, it } from 'vitest';
import { createRedactingLogger, MAX_LOG_FIELD_CHARS, type LogFields } from '../../shared/log/logger.js';
import { sanitizeForLog } from '../../shared/log/sanitize.js';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

describe('sanitizeForLog', () => {
  it('removes control, format and separator characters and lone surrogates', () => {
    expect(sanitizeForLog('a\r\nb\u0000c\u001b[31md\u202ee\u2028f\ud800g', 100)).toBe('ab c[31mdefg'.replace(' ', ''));
  });

  it('cuts to the bound, says how long the original was, and never leaves half a surrogate pair', () => {
    const cut = sanitizeForLog(`${'x'.repeat(63)}😀${'y'.repeat(11_000)}`, 64);
    expect(cut).toBe(`${'x'.repeat(63)}…(11065 chars)`);
    expect(UNSAFE.test(cut)).toBe(false);
  });

  it('a value made mostly of control characters is still bounded and marked', () => {
    const cut = sanitizeForLog(`${'\n'.repeat(100_000)}tail`, 64);
    expect(cut).toBe('…(100004 chars)');
  });

  it('leaves short clean text as it is', () => {
    expect(sanitizeForLog('7d0c1a4e-6b1f-4c55-9d3a-1a2b3c4d5e6f', 64)).toBe('7d0c1a4e-6b1f-4c55-9d3a-1a2b3c4d5e6f');
  });
});

describe('the redacting logger', () => {
  it('bounds and cleans every string field and the message', () => {
    const lines: { message: string; fields: LogFields | undefined }[] = [];
    const log = createRedactingLogger({ info: (message, fields) => lines.push({ message, fields }), warn: () => {}, error: () => {} });
    log.info('x\ny', { error: `${'e'.repeat(50_000)}\u001b[2J`, count: 3 });
    const [line] = lines;
    expect(line?.message).toBe('xy');
    const error = String(line?.fields?.['error']);
    expect(error.length).toBeLessThanOrEqual(MAX_LOG_FIELD_CHARS + 20);
    expect(UNSAFE.test(error)).toBe(false);
    expect(line?.fields?.['count']).toBe(3);
  });

  it('redacts a token before cutting, so no head of one is left behind', () => {
    const lines: string[] = [];
    const log = createRedactingLogger({ info: (_message, fields) => lines.push(String(fields?.['error'])), warn: () => {}, error: () => {} });
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(2000)}.sig`;
    log.info('m', { error: `${'p'.repeat(1000)}${jwt}` });
    expect(lines[0]).not.toContain('eyJ');
  });
});
