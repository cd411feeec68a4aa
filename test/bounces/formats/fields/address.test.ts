import { describe, expect, it } from 'vitest';
import { cleanAddress, domainOf, readAddressList, readAddressValue } from '../../../../src/bounces/formats/fields/address.js';

describe('cleanAddress', () => {
  it('drops brackets and lower-cases only the domain', () => {
    expect(cleanAddress('<Ann.Lee@Example.ORG>')).toBe('Ann.Lee@example.org');
    expect(cleanAddress(' bob@EXAMPLE.net ')).toBe('bob@example.net');
    expect(cleanAddress('"odd@local"@Example.COM')).toBe('"odd@local"@example.com');
    expect(cleanAddress('"Smith, J" <j@Y.example>')).toBe('j@y.example');
  });

  it('returns null for the null sender, empty and absurdly long values', () => {
    expect(cleanAddress('<>')).toBeNull();
    expect(cleanAddress('')).toBeNull();
    expect(cleanAddress(`${'a'.repeat(600)}@example.org`)).toBeNull();
  });

  it('keeps a local-only address as logged', () => {
    expect(cleanAddress('<root>')).toBe('root');
  });
});

describe('readAddressValue', () => {
  it('reads bracketed and bare values and says where they end', () => {
    const text = 'to=<a@Example.org>, relay=x';
    expect(readAddressValue(text, 3)).toEqual({ address: 'a@example.org', end: 18 });
    expect(readAddressValue('to=b@Example.net, relay=x', 3)).toEqual({ address: 'b@example.net', end: 16 });
  });

  it('gives null for an unclosed bracket', () => {
    expect(readAddressValue('to=<a@example.org', 3).address).toBeNull();
  });
});

describe('readAddressList', () => {
  it('splits on commas but not inside brackets or quotes, and stops at ", "', () => {
    const text = 'to=<a@x.example>,"Smith, J" <j@y.example>,c@z.example, delay=00:00:01';
    const list = readAddressList(text, 3);
    expect(list.items).toEqual(['<a@x.example>', '"Smith, J" <j@y.example>', 'c@z.example']);
    expect(text.slice(list.end)).toBe(', delay=00:00:01');
  });
});

describe('domainOf', () => {
  it('takes the part after the last @', () => {
    expect(domainOf('a@b@example.org')).toBe('example.org');
    expect(domainOf('root')).toBeNull();
  });
});
