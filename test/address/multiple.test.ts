import { describe, expect, it } from 'vitest';
import { keepsMailbox } from '../../src/address/fix.js';
import { splitAddresses } from '../../src/address/multiple.js';

describe('splitAddresses: cells that hold several addresses', () => {
  it.each([
    ['ann@x.example ::: bob@y.example', ['ann@x.example', 'bob@y.example']],
    ['ann@x.example;bob@y.example', ['ann@x.example', 'bob@y.example']],
    ['ann@x.example, bob@y.example , cy@z.example', ['ann@x.example', 'bob@y.example', 'cy@z.example']],
    ['Carl <carl@x.example>, Dora <dora@y.example>', ['carl@x.example', 'dora@y.example']],
    ['"Berg, Carl" <carl@x.example>; mailto:dora@y.example', ['carl@x.example', 'dora@y.example']],
    ['ann@x.example bob@y.example', ['ann@x.example', 'bob@y.example']],
  ])('%s', (cell, expected) => {
    expect(splitAddresses(cell)).toEqual(expected);
  });

  it.each([
    'ann@x.example',
    'Carl Berg <carl@x.example>',
    'Berg, Carl <carl@x.example>',
    '"a,b@c"@x.example',
    'user@gmail.com@gmail.com',
    'first@second@example.com',
    '',
    'no address here',
  ])('leaves one address alone: %s', (cell) => {
    expect(splitAddresses(cell)).toBeNull();
  });
});

describe('keepsMailbox: which corrections --fix may apply', () => {
  it.each([
    [' ann@example.com ', 'ann@example.com'],
    ['mailto:ann@example.com', 'ann@example.com'],
    ['Ann Berg <ann@example.com>', 'ann@example.com'],
    ['<Ann.Berg@Example.COM.>', 'Ann.Berg@example.com'],
    ['ann@gmial.com', 'ann@gmail.com'],
    ['ann @ example.com', 'ann@example.com'],
    ['ann@bücher.example', 'ann@xn--bcher-kva.example'],
    ['ann@gmail.com@gmail.com', 'ann@gmail.com'],
  ])('keeps the mailbox: %s -> %s', (written, corrected) => {
    expect(keepsMailbox(written, corrected)).toBe(true);
  });

  it.each([
    ['.lead@example.com', 'lead@example.com'],
    ['trail.@example.com', 'trail@example.com'],
    ['user..dots@example.com', 'user.dots@example.com'],
    ['us er@example.com', 'user@example.com'],
    ['first@second@example.com', 'firstsecond@example.com'],
    ['Ann@example.com', 'ann@example.com'],
  ])('changes the mailbox (a suggestion only): %s -> %s', (written, corrected) => {
    expect(keepsMailbox(written, corrected)).toBe(false);
  });
});
