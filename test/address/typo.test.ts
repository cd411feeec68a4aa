import { describe, expect, it } from 'vitest';
import { knownRealDomains, popularDomains, splitDomain } from '../../src/address/domains.js';
import { areNeighbours, typingDistance, typingEdits } from '../../src/address/keyboard.js';
import { suggestDomain } from '../../src/address/typo.js';

const suggestionFor = (domain: string) => suggestDomain(domain).suggestion;

describe('suggestDomain: misspelt popular domains', () => {
  it.each([
    ['gmial.com', 'gmail.com'],
    ['hotmial.com', 'hotmail.com'],
    ['comcats.net', 'comcast.net'],
    ['googlemial.com', 'googlemail.com'],
    ['t-onlien.de', 't-online.de'],
  ])('letters swapped: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it.each([
    ['outlkoo.com', 'outlook.com'],
    ['comcsta.net', 'comcast.net'],
    ['hotimal.com', 'hotmail.com'],
  ])('letter moved two places: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it.each([
    ['outlok.fr', 'outlook.fr'],
    ['iclod.com', 'icloud.com'],
    ['verizn.net', 'verizon.net'],
    ['yaho.com', 'yahoo.com'],
  ])('letter left out: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it.each([
    ['yahooo.com', 'yahoo.com'],
    ['hotmaill.com', 'hotmail.com'],
    ['gmaiul.com', 'gmail.com'],
    ['wanadooo.fr', 'wanadoo.fr'],
  ])('letter added: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it.each([
    ['gmqil.com', 'gmail.com'],
    ['hotnail.com', 'hotmail.com'],
    ['bellsoutn.net', 'bellsouth.net'],
    ['outl0ok.com', 'outlook.com'],
    ['yshoo.fr', 'yahoo.fr'],
  ])('neighbouring key or look-alike: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it.each([
    ['yahoo.cmo', 'yahoo.com'],
    ['hotmail.con', 'hotmail.com'],
    ['outlook.c', 'outlook.com'],
    ['hotmail.comm', 'hotmail.com'],
    ['aol.cmo', 'aol.com'],
    ['gmx.dee', 'gmx.de'],
    ['laposte.nte', 'laposte.net'],
    ['hotmail.co.ik', 'hotmail.co.uk'],
    ['yahoo.con.br', 'yahoo.com.br'],
  ])('TLD that does not exist: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it.each([
    ['yahoo.co', 'yahoo.com'],
    ['hotmail.om', 'hotmail.com'],
    ['comcast.ne', 'comcast.net'],
  ])('a real TLD one slip from the .com/.net of a popular brand: %s -> %s', (typed, expected) => {
    expect(suggestionFor(typed)).toBe(expected);
  });

  it('fixes a misspelt name and TLD together', () => {
    expect(suggestionFor('hotmial.co')).toBe('hotmail.com');
    expect(suggestionFor('yahooo.cmo')).toBe('yahoo.com');
  });

  it('sends Gmail on any other TLD to gmail.com: Google gives no other', () => {
    expect(suggestionFor('gmail.net')).toBe('gmail.com');
    expect(suggestionFor('gmail.co.uk')).toBe('gmail.com');
  });

  it('catches two slips from a big provider', () => {
    expect(suggestionFor('gnaill.com')).toBe('gmail.com');
    expect(suggestionFor('hotmaill.con')).toBe('hotmail.com');
    expect(suggestionFor('yaho.cm')).toBe('yahoo.com');
  });

  it('catches a brand name written twice and a brand with an extra TLD label', () => {
    expect(suggestionFor('gmailgmail.com')).toBe('gmail.com');
    expect(suggestionFor('gmail.gmail.com')).toBe('gmail.com');
    expect(suggestionFor('gmail.co.com')).toBe('gmail.com');
    expect(suggestionFor('gmail.con.br')).toBe('gmail.com');
    // The labels typed first are kept: a French hotmail.fr with ".com" added out of habit.
    expect(suggestionFor('hotmail.fr.com')).toBe('hotmail.fr');
  });

  it('sends a global brand under a generic TLD it does not use to its own domain', () => {
    expect(suggestionFor('hotmail.net')).toBe('hotmail.com');
    expect(suggestionFor('yahoo.net')).toBe('yahoo.com');
    expect(suggestionFor('icloud.net')).toBe('icloud.com');
    expect(suggestionFor('outlook.org')).toBe('outlook.com');
  });

  it('repairs dots left out or misplaced, and text around a popular domain', () => {
    expect(suggestionFor('gmailcom')).toBe('gmail.com');
    expect(suggestionFor('gmailc.om')).toBe('gmail.com');
    expect(suggestionFor('hotmailco.uk')).toBe('hotmail.co.uk');
    expect(suggestionFor('yahoo')).toBe('yahoo.com');
    expect(suggestionFor('gmail.com.html')).toBe('gmail.com');
    expect(suggestionFor('hotmail.com.com')).toBe('hotmail.com');
    expect(suggestionFor('www.gmail.com')).toBe('gmail.com');
    expect(suggestionFor('www.gmial.com')).toBe('gmail.com');
    expect(suggestionFor('smtp.gmail.com')).toBe('gmail.com');
    // Only in front of a popular domain: company mail hosts are left alone.
    expect(suggestionFor('mail.example.com')).toBeNull();
    expect(suggestionFor('www.example.com')).toBeNull();
  });

  it('fixes only the TLD of an unknown domain whose TLD does not exist', () => {
    expect(suggestionFor('example.cmo')).toBe('example.com');
    expect(suggestionFor('mail.example.con')).toBe('mail.example.com');
    expect(suggestionFor('example.ogr')).toBe('example.org');
    expect(suggestionFor('example.nte')).toBe('example.net');
    // Too far from any common TLD to guess.
    expect(suggestionFor('example.qzx')).toBeNull();
  });

  it('breaks ties toward the more popular domain', () => {
    // h is next to both g and y: gmail.com and ymail.com are equally close.
    expect(suggestionFor('hmail.com')).toBe('gmail.com');
  });

  it('explains each suggestion in a short phrase', () => {
    expect(suggestDomain('gmial.com').why).toBe('letters swapped: gmial -> gmail');
    expect(suggestDomain('yahoo.cmo').why).toBe('TLD ".cmo" for ".com"');
    expect(suggestDomain('outlok.fr').why).toBe('missing letter: outlok -> outlook');
    expect(suggestDomain('gmailcom').why).toBe('missing dot: gmailcom -> gmail.com');
  });
});

describe('suggestDomain: real domains are left alone', () => {
  it.each([
    'gmail.com',
    'googlemail.com',
    'yahoo.com',
    'yahoo.co.uk',
    'yahoo.co.jp',
    'yahoo.com.tw',
    'hotmail.com',
    'hotmail.fr',
    'hotmail.co.uk',
    'outlook.com',
    'outlook.de',
    'live.com',
    'live.fr',
    'live.ca',
    'msn.com',
    'aol.com',
    'aim.com',
    'icloud.com',
    'me.com',
    'mac.com',
    'ymail.com',
    'gmx.de',
    'gmx.at',
    'gmx.net',
    'gmx.fr',
    'web.de',
    't-online.de',
    'freenet.de',
    'orange.fr',
    'free.fr',
    'sfr.fr',
    'laposte.net',
    'libero.it',
    'virgilio.it',
    'mail.ru',
    'ya.ru',
    'yandex.ru',
    'qq.com',
    '163.com',
    '126.com',
    'naver.com',
    'mail.com',
    'email.com',
    'comcast.net',
    'att.net',
    'cox.net',
    'verizon.net',
    'shaw.ca',
    'telus.net',
    'btinternet.com',
    'sky.com',
    'uol.com.br',
    'bigpond.com',
    'xtra.co.nz',
    'seznam.cz',
    'wp.pl',
    'o2.pl',
    'proton.me',
    'pm.me',
    'yopmail.com',
  ])('%s', (domain) => {
    expect(suggestDomain(domain)).toEqual({ suggestion: null, why: null });
  });

  it.each([
    // Real domains that are not on any list and sit near popular names.
    'example.com',
    'example.org',
    'gmx-solutions.example',
    'mailbox.example.net',
    'univ.example.edu',
    'hotels.example.com',
    'love.com',
    'zopo.com',
    'small.com',
    'mail.example.co.uk',
    'web.com',
    'gmx.org',
    'live.org',
    'hotmail.ca',
    'hotmail.co.th',
    'yahoo.com.br',
    'mail.net',
    'yandex.net',
    'gmail.example.com',
    'hotmail.office.com',
    'yahoo.co.jp',
  ])('%s (not on a list)', (domain) => {
    expect(suggestionFor(domain)).toBeNull();
  });

  it('never corrects a popular domain or a listed real mailbox domain', () => {
    const corrected = [...knownRealDomains()].filter((domain) => suggestionFor(domain) !== null);
    expect(corrected).toEqual([]);
  });

  it('does not guess a TLD for a bare word that is no popular name', () => {
    expect(suggestionFor('gmai')).toBeNull();
    expect(suggestionFor('gm')).toBeNull();
    expect(suggestionFor('localhost')).toBeNull();
  });

  it('only ever suggests a popular domain, or the same name with a real TLD', () => {
    const popular = new Set(popularDomains());
    for (const typed of ['gmial.com', 'yahoo.cmo', 'example.cmo', 'hotmail.co.ik', 'gmailcom']) {
      const suggestion = suggestionFor(typed)!;
      const sameName = splitDomain(suggestion)?.name === splitDomain(typed)?.name;
      expect(popular.has(suggestion) || sameName).toBe(true);
    }
  });

  it('stays fast on hostile input', () => {
    const long = `${'a'.repeat(60)}.`.repeat(4) + 'cmo';
    const started = performance.now();
    for (let i = 0; i < 200; i++) suggestDomain(`${i}${long}`);
    suggestDomain('x'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('returns the same answer from its memo', () => {
    expect(suggestDomain('gmial.com')).toBe(suggestDomain('gmial.com'));
  });
});

describe('typing model', () => {
  it('knows QWERTY neighbours and look-alike digits', () => {
    expect(areNeighbours('a', 'q')).toBe(true);
    expect(areNeighbours('m', 'n')).toBe(true);
    expect(areNeighbours('o', '0')).toBe(true);
    expect(areNeighbours('a', 'p')).toBe(false);
  });

  it('makes real slips cheaper than arbitrary edits', () => {
    expect(typingDistance('gmqil', 'gmail')).toBe(0.5);
    expect(typingDistance('gmxil', 'gmail')).toBe(1);
    expect(typingDistance('yahooo', 'yahoo')).toBe(0.5);
    expect(typingDistance('gmial', 'gmail')).toBe(1);
    // A letter two places off is one slip, not a missing and an extra letter.
    expect(typingDistance('hotimal', 'hotmail')).toBe(1);
    expect(typingDistance('yaooh', 'yahoo')).toBe(1);
    expect(typingDistance('hotmail', 'hotmail')).toBe(0);
    expect(typingDistance('abc', 'xyz', 1)).toBe(Infinity);
  });

  it('names the edits of an alignment', () => {
    expect(typingEdits('gmial', 'gmail').map((edit) => edit.kind)).toEqual(['swapped']);
    expect(typingEdits('gmai', 'gmail').map((edit) => edit.kind)).toEqual(['missing']);
    expect(typingEdits('hotimal', 'hotmail').map((edit) => edit.kind)).toEqual(['moved']);
    expect(suggestDomain('hotimal.com').why).toBe('letter moved: hotimal -> hotmail');
  });
});
