import { describe, expect, it } from 'vitest';
import { maskNames } from '../../src/bounces/smtp-text.js';
import { randomText, seededRandom } from '../helpers.js';

// The patterns as the classifier's cache key has always masked them: maskNames must give
// exactly what replacing them over the whole text gives, whatever shortcut it takes.
const ADDRESS = /[^\s<>()[\]"',;:]{1,64}@[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,126}/gi;
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;

function replacedEverywhere(text: string): string {
  let out = text.includes('@') ? text.replace(ADDRESS, 'x@x.invalid') : text;
  if (/\d\.\d/.test(out)) out = out.replace(IPV4, '0.0.0.0');
  return out;
}

describe('maskNames', () => {
  it('masks addresses and IPv4 literals', () => {
    expect(maskNames('550 5.1.1 <ann.lee@Example.ORG>: user unknown (192.0.2.7)')).toBe('550 5.1.1 <x@x.invalid>: user unknown (0.0.0.0)');
    expect(maskNames('no names here')).toBe('no names here');
    expect(maskNames(null)).toBeNull();
  });

  it("ends an address at a run of dots: Sendmail's words after it stay words", () => {
    expect(maskNames('550 ann@example.net...User unknown')).toBe('550 x@x.invalid...User unknown');
    expect(maskNames('<ann@example.net>... User unknown')).toBe('<x@x.invalid>... User unknown');
  });

  it('gives what the patterns replaced over the whole text give', () => {
    const random = seededRandom(3);
    // Local parts near and over the 64-character limit, runs of @, and characters that end one.
    const pieces = [
      '@',
      'a',
      'B',
      '.',
      '-',
      ' ',
      '<',
      '>',
      'x'.repeat(30),
      'y'.repeat(70),
      '@@',
      'é',
      '1',
      '\u00a0',
      ',',
      'user',
      'example.org',
      '@-',
      '192.0.2.1',
    ];
    for (let round = 0; round < 20000; round++) {
      const text = randomText(random, pieces, 0, 14);
      expect(maskNames(text), JSON.stringify(text)).toBe(replacedEverywhere(text));
    }
  });
});
