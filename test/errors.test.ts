import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, HygieneError } from '../src/errors.js';

describe('error codes', () => {
  it('are all listed in the README, which lists no other', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Error codes'), readme.indexOf('## Library'));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(listed).toEqual(Object.keys(ERROR_CODES));
  });

  it('travel with the error, with exit code 2 unless said otherwise', () => {
    const error = new HygieneError({ code: 'INPUT_NOT_FOUND', message: 'x.csv: no such file', file: 'x.csv', line: 3 });
    expect(error).toMatchObject({ code: 'INPUT_NOT_FOUND', exitCode: 2, location: 'x.csv:3' });
  });
});
