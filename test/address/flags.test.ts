import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import { checkAddress } from '../../src/address/check.js';
import { isDisposableDomain, NOT_DISPOSABLE } from '../../src/address/disposable.js';
import { isFreeMailDomain, readDataList } from '../../src/address/domains.js';
import { isRoleLocal } from '../../src/address/role.js';

describe('isDisposableDomain', () => {
  it('flags throw-away providers, in any case', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('guerrillamail.com')).toBe(true);
    expect(isDisposableDomain('Mailinator.COM')).toBe(true);
  });

  it('flags subdomains of a throw-away provider', () => {
    expect(isDisposableDomain('inbox.mailinator.com')).toBe(true);
    expect(isDisposableDomain('a.b.mailinator.com')).toBe(true);
  });

  it('leaves real providers and company domains alone', () => {
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(isDisposableDomain('outlook.com')).toBe(false);
    expect(isDisposableDomain('example.com')).toBe(false);
    expect(isDisposableDomain('mailinator.example.com')).toBe(false);
    expect(isDisposableDomain('com')).toBe(false);
  });

  // One test per entry of the allow list: each is on the disposable list and is a real provider.
  it.each([...NOT_DISPOSABLE])('keeps %s (%s), which the disposable list names by mistake', (domain) => {
    // The entry is only needed while the list carries the domain: when it no longer does, drop it.
    expect(disposableEmailBlocklistSet().has(domain)).toBe(true);
    expect(isDisposableDomain(domain)).toBe(false);
    expect(isDisposableDomain(`mail.${domain}`)).toBe(false);
    const check = checkAddress(`ann@${domain}`);
    expect(check).toMatchObject({ valid: true, reason: null, flags: { disposable: false } });
  });

  it('the allow list has exactly the entries tested above (sify.com, 21cn.com)', () => {
    expect([...NOT_DISPOSABLE.keys()].sort()).toEqual(['21cn.com', 'sify.com']);
  });

  it('a misspelt big provider on the disposable list is a typo, not a disposable flag', () => {
    for (const address of ['ann@gmial.com', 'ann@hotmial.com']) {
      const check = checkAddress(address);
      expect(check.reason, address).toBe('typo-domain');
      expect(check.flags.disposable, address).toBe(false);
    }
  });
});

describe('isFreeMailDomain', () => {
  it('flags free-mail providers, big and small', () => {
    for (const domain of ['gmail.com', 'yahoo.co.uk', 'web.de', 'gmx.at', 'orange.fr', 'qq.com', 'mail.ru']) {
      expect(isFreeMailDomain(domain), domain).toBe(true);
    }
    expect(isFreeMailDomain('GMAIL.COM')).toBe(true);
  });

  it('does not flag company domains', () => {
    expect(isFreeMailDomain('acme-widgets.example.org')).toBe(false);
    expect(isFreeMailDomain('mail.acme-widgets.example.net')).toBe(false);
  });
});

describe('isRoleLocal', () => {
  it.each(['info', 'sales', 'support', 'admin', 'postmaster', 'abuse', 'webmaster', 'contact', 'hello', 'billing', 'hr', 'jobs'])(
    '%s is a role',
    (local) => {
      expect(isRoleLocal(local)).toBe(true);
    },
  );

  it('ignores case, +tags and separators', () => {
    expect(isRoleLocal('Info')).toBe(true);
    expect(isRoleLocal('info+newsletter')).toBe(true);
    expect(isRoleLocal('no-reply')).toBe(true);
    expect(isRoleLocal('no.reply')).toBe(true);
    expect(isRoleLocal('NoReply')).toBe(true);
    expect(isRoleLocal('do_not_reply')).toBe(true);
    expect(isRoleLocal('"sales"')).toBe(true);
  });

  it('does not flag people, nor words that merely start like a role', () => {
    for (const local of ['john.smith', 'anna', 'informatics', 'info2024', 'hrothgar', 'salesforce-bot', 'j.doe+info', '']) {
      expect(isRoleLocal(local), local).toBe(false);
    }
  });

  it('reads separators anywhere, a leading one included, and only a tag after the first character', () => {
    expect(isRoleLocal('-info')).toBe(true);
    expect(isRoleLocal('i.n.f.o')).toBe(true);
    expect(isRoleLocal('_Post-Master_')).toBe(true);
    expect(isRoleLocal('"no-reply+bounces"')).toBe(true);
    // A leading "+" is no tag: "+info" is not "info".
    expect(isRoleLocal('+info')).toBe(false);
    expect(isRoleLocal('"info')).toBe(false);
    // Lower-casing "İ" gives two characters ("i" and a dot above): not "info".
    expect(isRoleLocal('İnfo')).toBe(false);
    expect(isRoleLocal('ïnfo')).toBe(false);
  });

  it('flags every listed role however it is written (case, separators, +tag, quotes)', () => {
    const roles = readDataList('role-locals.txt').map((role) => role.replace(/[._-]/g, ''));
    const written = fc
      .tuple(
        fc.constantFrom(...roles),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('.', '-', '_')), { maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/)),
        fc.boolean(),
      )
      .map(([role, separators, upper, tag, quoted]) => {
        let local = [...role].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('');
        for (const [at, separator] of separators) {
          const cut = at % (local.length + 1);
          local = local.slice(0, cut) + separator + local.slice(cut);
        }
        if (tag !== null) local += `+${tag}`;
        return quoted ? `"${local}"` : local;
      });
    fc.assert(
      fc.property(written, (local) => isRoleLocal(local)),
      { numRuns: 2_000 },
    );
  });
});
