import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressParser } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { simpleAddressList } from '../../src/bounces/formats/mail/simple-address.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const folders = [
  path.resolve(here, '../../fixtures/bounces/eml'),
  ...['dsn', 'cws'].map((name) => path.resolve(here, `../../../shared/corpus/${name}/emails`)),
].filter(existsSync);

/** The values of the address headers the lean MIME reader parses, in every message at hand. */
function headerValues(): string[] {
  const values = new Set<string>();
  for (const folder of folders) {
    for (const name of readdirSync(folder)) {
      const text = readFileSync(path.join(folder, name), 'latin1');
      for (const match of text.matchAll(/^(?:from|to|return-path|delivered-to|reply-to|sender|cc):[ \t]*(.*(?:\r?\n[ \t].*)*)/gim)) {
        values.add(match[1]!.replace(/\r?\n/g, ''));
      }
    }
  }
  return [...values];
}

describe('the address parsing shortcut', () => {
  it('gives what postal-mime gives wherever it answers, over the address headers of the messages at hand', () => {
    const values = headerValues();
    expect(values.length).toBeGreaterThan(20);
    let answered = 0;
    for (const value of values) {
      const simple = simpleAddressList(value);
      if (simple === null) continue;
      answered++;
      expect(simple, value).toEqual(addressParser(value));
    }
    // It must take the common shapes, or it saves nothing.
    expect(answered).toBeGreaterThan(values.length / 3);
  });

  it('gives what postal-mime gives on random strings of the characters that matter', () => {
    const pieces = [
      'a',
      'Bo',
      '9',
      '.',
      '-',
      '_',
      '+',
      '@',
      '<',
      '>',
      ' ',
      '  ',
      '\t',
      '"',
      "'",
      ',',
      ';',
      ':',
      '(',
      ')',
      '\\',
      '=?utf-8?q?x?=',
      'é',
      'b.example',
    ];
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let answered = 0;
    for (let round = 0; round < 20_000; round++) {
      let value = '';
      const length = 1 + random(10);
      for (let i = 0; i < length; i++) value += pieces[random(pieces.length)];
      // Most of them shaped like the forms the shortcut takes, so that it is exercised.
      const words = value.replace(/[<>@()]/g, '');
      if (round % 4 === 0) value = `${words} <${pieces[random(3)]}x@b.example>${round % 8 === 0 ? ' ' : ''}`;
      else if (round % 4 === 1) value = `${pieces[random(3)]}x@b.example${pieces[random(3)] === 'a' ? '' : ' '}(${words})`;
      else if (round % 4 === 2) value = `${words}<>`;
      const simple = simpleAddressList(value);
      if (simple === null) continue;
      answered++;
      expect(simple, JSON.stringify(value)).toEqual(addressParser(value));
    }
    expect(answered).toBeGreaterThan(1500);
  });
});
