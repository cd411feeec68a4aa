/**
 * The classification cache must never change an answer: every field the classifier reads is in
 * the key, results handed out are copies, and memory is bounded.
 */
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../src/bounces/classify/cache.js';
import { classifyBounce, clearClassifyCache } from '../../../src/bounces/classify/index.js';

describe('classification cache', () => {
  it('gives the same answer the second time, and a mutated result does not poison it', () => {
    clearClassifyCache();
    const evidence = { status: '5.1.1', diagnostic: '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown' };
    const first = classifyBounce(evidence);
    (first as { reason: string }).reason = 'mailboxfull';
    expect(classifyBounce(evidence)).toEqual({ class: 'hard', reason: 'userunknown', status: '5.1.1' });
  });

  it('one reply to many recipients is one input: addresses and IPs do not change the answer', () => {
    const reply = (address: string, ip: string) =>
      classifyBounce({ diagnostic: `host mx.example.org[${ip}] said: 550 <${address}>: No such user here` });
    expect(reply('ann@example.org', '192.0.2.7')).toEqual(reply('filtered@example.net', '198.51.100.9'));
    expect(reply('policy.spam@example.org', '192.0.2.8')).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('keeps apart inputs that differ in a field the classifier reads', () => {
    const diagnostic = '550 User unknown';
    expect(classifyBounce({ diagnostic }).reason).toBe('userunknown');
    expect(classifyBounce({ diagnostic, command: 'DATA' }).reason).toBe('filtered');
    expect(classifyBounce({ diagnostic, command: 'MAIL FROM' }).reason).toBe('rejected');
    expect(classifyBounce({ diagnostic: 'mailbox unavailable', smtpCode: '450' }).class).toBe(
      classifyBounce({ diagnostic: 'mailbox unavailable', smtpCode: '450' }).class,
    );
    // The recipient's domain matters when the text names the DNS lookup that failed.
    const lookup = 'Host or domain name not found. Name service error for name=relay.example.net type=A: Host not found';
    expect(classifyBounce({ diagnostic: lookup, recipient: 'ann@relay.example.net' } as never).reason).toBe('hostunknown');
    expect(classifyBounce({ diagnostic: lookup, recipient: 'ann@example.org' } as never).reason).toBe('networkerror');
  });

  it('is bounded: the oldest entry goes, long keys are not kept', () => {
    const cache = new BoundedCache<number>(3, 10);
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, key.charCodeAt(0));
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBe(100);
    cache.set('x'.repeat(11), 1);
    expect(cache.get('x'.repeat(11))).toBeUndefined();
  });

  it('stays flat over many distinct texts', () => {
    clearClassifyCache();
    for (let i = 0; i < 20_000; i++) classifyBounce({ diagnostic: `550 5.7.1 rejected, reference ${i}` });
    expect(classifyBounce({ diagnostic: '550 5.7.1 rejected, reference 19999' }).class).toBe('block');
  });
});
