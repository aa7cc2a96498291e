// The refused-request budget's key: the address the trusted proxies appended, never one a client wrote.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAddress, FUNCTIONS_ALONE, type ClientAddressSource } from '../../shared/http/clientAddress.js';

const FRONT_DOOR: ClientAddressSource = { forwardedForEntry: 2 };
const THREE_HOPS: ClientAddressSource = { forwardedForEntry: 3 };

const from = (forwardedFor?: string, source: ClientAddressSource = FUNCTIONS_ALONE): string =>
  clientAddress(new Request('http://localhost/mcp', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }), source);

describe('clientAddress with Azure Functions alone (the default)', () => {
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

  it('one /64 written every way is one key: a caller cannot rotate keys within it', () => {
    const spellings = ['2001:db8:a:b::1', '2001:0db8:000a:000b:0000:0000:0000:0001', '[2001:db8:a:b:0:0:0:1]:1', '2001:db8:a:b:1:2:3:4', '2001:db8:a:b::1.2.3.4', '2001:DB8:A:B::FFFF'];
    expect(new Set(spellings.map((spelling) => from(spelling)))).toEqual(new Set(['2001:db8:a:b::/64']));
  });

  it('an IPv4-mapped IPv6 address is its IPv4 address, written either way', () => {
    expect(from('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(from('[::ffff:7f00:1]:8080')).toBe('127.0.0.1');
  });

  it('no header: direct; an entry that is no address: invalid, whatever its length', () => {
    expect(from()).toBe('direct');
    expect(from('unknown')).toBe('invalid');
    expect(from('')).toBe('invalid');
    expect(from('1.2.3.4,')).toBe('invalid');
    expect(from('010.1.2.3')).toBe('invalid');
    expect(from('fe80::1%eth0')).toBe('invalid');
    expect(from('[2001:db8::1')).toBe('invalid');
    expect(from(`1.2.3.4, ${'z'.repeat(100_000)}`)).toBe('invalid');
  });
});

describe('clientAddress where nothing in front appends (none)', () => {
  it('reads no header: every request has the one key, whatever it writes', () => {
    const NONE: ClientAddressSource = { forwardedForEntry: 0 };
    for (const header of [undefined, '203.0.113.5', '1.1.1.1, 2.2.2.2', 'garbage']) expect(from(header, NONE)).toBe('anyone');
  });
});

describe('clientAddress behind proxies that append (front-door, x-forwarded-for:<n>)', () => {
  it('takes the n-th entry from the right: the one the outermost trusted proxy appended', () => {
    // Front Door appends the address it was connected from, then Azure's front end appends Front Door's.
    expect(from('198.51.100.7, 147.243.1.1:50123', FRONT_DOOR)).toBe('198.51.100.7');
    expect(from('203.0.113.9, 198.51.100.7, 10.0.0.4:443, 147.243.1.1:50123', THREE_HOPS)).toBe('198.51.100.7');
    expect(from('[2001:db8:5:6::7]:1234, 147.243.1.1:50123', FRONT_DOOR)).toBe('2001:db8:5:6::/64');
  });

  it('two callers behind one proxy address get two keys; with the default they share the proxy\'s', () => {
    expect(from('198.51.100.7, 147.243.1.1:1', FRONT_DOOR)).not.toBe(from('198.51.100.8, 147.243.1.1:2', FRONT_DOOR));
    expect(from('198.51.100.7, 147.243.1.1:1')).toBe(from('198.51.100.8, 147.243.1.1:2'));
  });

  it('entries a client writes to the left change nothing, however many and whatever they say', () => {
    const trusted = '198.51.100.7, 147.243.1.1:50123';
    const forged = [
      '1.1.1.1', '1.1.1.1, 2.2.2.2', ',,,', 'garbage, [::1]:1', Array.from({ length: 10_000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(','), 'x'.repeat(60_000),
    ];
    for (const prefix of forged) expect(from(`${prefix}, ${trusted}`, FRONT_DOOR)).toBe('198.51.100.7');
  });

  it('holds for any client-written prefix (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 10 }), (prefix, hops) => {
      const trusted = Array.from({ length: hops }, (_, i) => `203.0.113.${i + 1}:${1000 + i}`).join(', ');
      expect(from(`${prefix},${trusted}`, { forwardedForEntry: hops })).toBe('203.0.113.1');
    }));
  });

  it('fewer entries than the proxies append: one fixed key, whatever the entries say, so a request around the proxy picks nothing', () => {
    expect(from('147.243.1.1:50123', FRONT_DOOR)).toBe('short-chain');
    expect(from('9.9.9.9', FRONT_DOOR)).toBe('short-chain');
    expect(from('198.51.100.7, 10.0.0.4:443', THREE_HOPS)).toBe('short-chain');
    expect(from('', FRONT_DOOR)).toBe('short-chain');
    expect(from(undefined, FRONT_DOOR)).toBe('direct');
  });

  it('an empty or malformed entry in the caller\'s place is invalid, not the entry beside it', () => {
    expect(from('198.51.100.7,, 147.243.1.1:1', FRONT_DOOR)).toBe('invalid');
    expect(from('1.2.3.4, not-an-address, 147.243.1.1:1', FRONT_DOOR)).toBe('invalid');
    expect(from(`${'9'.repeat(50_000)}, 147.243.1.1:1`, FRONT_DOOR)).toBe('invalid');
  });
});
