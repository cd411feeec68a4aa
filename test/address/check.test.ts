import { describe, expect, it } from 'vitest';
import { checkAddress, mailboxKey } from '../../src/address/check.js';

describe('checkAddress: per-domain facts are cached', () => {
  it('gives the same verdicts before and after the cache turns over (300k distinct domains)', () => {
    const probes = ['ann@gmial.com', 'bob@mailinator.com', 'info@example.com', 'zoe@web.de', 'cy@yahoo.cmo', 'dee@example.org'];
    const before = probes.map((address) => checkAddress(address));
    expect(before.map((check) => check.reason)).toEqual(['typo-domain', 'disposable', 'role', null, 'typo-domain', null]);
    for (let i = 0; i < 300_000; i++) checkAddress(`user${i}@company${i}.example.com`);
    expect(probes.map((address) => checkAddress(address))).toEqual(before);
  });

  it('shares flag objects between results without letting one result change another', () => {
    const first = checkAddress('zoe@web.de');
    const second = checkAddress('max@web.de');
    expect(first.flags).toEqual({ role: false, disposable: false, free: true });
    expect(() => {
      (first.flags as { role: boolean }).role = true;
    }).toThrow();
    expect(second.flags.role).toBe(false);
  });
});

describe('mailboxKey', () => {
  it('lower-cases the local part unless asked not to, and folds aliases only when asked', () => {
    expect(mailboxKey('Ann.Lee+news', 'gmail.com')).toBe('ann.lee+news@gmail.com');
    expect(mailboxKey('Ann', 'example.com', { caseSensitiveLocal: true })).toBe('Ann@example.com');
    expect(mailboxKey('Ann.Lee+news', 'googlemail.com', { dedupeAliases: true })).toBe('annlee@gmail.com');
  });
});
