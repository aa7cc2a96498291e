// The refused-request budget's key: the address Azure's front end appended, never one a client wrote.
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../shared/http/clientAddress.js';

const from = (forwardedFor?: string): string =>
  clientAddress(new Request('http://localhost/mcp', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }));

describe('clientAddress', () => {
  it('takes the last X-Forwarded-For entry, the one the front end appends, and drops its port', () => {
    expect(from('203.0.113.5:50123')).toBe('203.0.113.5');
    expect(from('10.0.0.1, 198.51.100.9, 203.0.113.5:443')).toBe('203.0.113.5');
  });

  it('entries a client writes before it change nothing', () => {
    expect(from('1.1.1.1, 203.0.113.5:1')).toBe(from('8.8.8.8, 9.9.9.9, 203.0.113.5:2'));
  });

  it('an IPv6 address counts by its /64, with or without brackets and port', () => {
    expect(from('[2001:db8:1:2::1]:443')).toBe('2001:db8:1:2::/64');
    expect(from('2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(from('2001:DB8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(from('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(from('2001:db8:1:3::1')).not.toBe(from('2001:db8:1:2::1'));
  });

  it('an IPv4-mapped IPv6 address is its IPv4 address', () => {
    expect(from('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('no header: direct; an entry that is no address: invalid, whatever its length', () => {
    expect(from()).toBe('direct');
    expect(from('unknown')).toBe('invalid');
    expect(from(`1.2.3.4, ${'z'.repeat(100_000)}`)).toBe('invalid');
  });
});
