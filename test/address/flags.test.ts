import { describe, expect, it } from 'vitest';
import { isDisposableDomain } from '../../src/address/disposable.js';
import { isFreeMailDomain } from '../../src/address/domains.js';
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
});
