import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat, FORMATS } from '../../../src/bounces/formats/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/bounces');

/** Every detector run on the sample, as detection did before it skipped any. */
function everyScore(sample: string, fileName: string) {
  return FORMATS.map((format) => ({ name: format.name, score: format.detect(sample, fileName) })).sort((a, b) => b.score - a.score);
}

describe('detection skips detectors only where they score 0', () => {
  const samples: [string, string][] = [];
  for (const folder of readdirSync(fixtures)) {
    for (const name of readdirSync(path.join(fixtures, folder))) {
      const text = readFileSync(path.join(fixtures, folder, name), 'utf-8');
      samples.push([`${folder}/${name}`, text]);
    }
  }
  // Every fixture's lines mixed into every other kind of input, so that each detector meets
  // samples where only a few lines are its own.
  const mixed: [string, string][] = [];
  for (const [nameA, textA] of samples) {
    for (const [, textB] of samples)
      mixed.push([nameA, `${textA.split('\n').slice(0, 30).join('\n')}\n${textB.split('\n').slice(0, 3).join('\n')}`]);
  }

  it('gives the scores of running every detector', () => {
    for (const [name, text] of [...samples, ...mixed]) {
      for (const fileName of [name, 'input']) {
        expect(detectFormat(text, fileName).scores, name).toEqual(everyScore(text, fileName));
      }
    }
  });
});
