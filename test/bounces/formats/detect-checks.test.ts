import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat, FORMATS, MIN_DETECT_SCORE } from '../../../src/bounces/formats/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../fixtures/bounces');
/** The shared corpus's messages, where it is present (read, never copied). */
const corpusFolders = ['dsn', 'cws'].map((name) => path.resolve(here, `../../../../shared/corpus/${name}/emails`)).filter(existsSync);

/** Every detector run on the sample, as detection did before it skipped any. */
function everyScore(sample: string, fileName: string) {
  return FORMATS.map((format) => ({ name: format.name, score: format.detect(sample, fileName), ceiling: format.detectCeiling ?? 1 }));
}

/** The format detection must choose: the highest score, the first in FORMATS on a tie. */
function bestOf(scores: { name: string; score: number }[]): string | null {
  let best: { name: string; score: number } | null = null;
  for (const entry of scores) if (entry.score > (best?.score ?? 0)) best = entry;
  return best && best.score >= MIN_DETECT_SCORE ? best.name : null;
}

describe('detection skips only detectors that cannot change its answer', () => {
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
  const corpus: [string, string][] = corpusFolders.flatMap((folder) =>
    readdirSync(folder).map((name): [string, string] => [
      `${path.basename(path.dirname(folder))}/${name}`,
      readFileSync(path.join(folder, name))
        .subarray(0, 64 * 1024)
        .toString('utf-8'),
    ]),
  );

  it('chooses the format that running every detector chooses, and reports the scores it ran', () => {
    for (const [name, text] of [...samples, ...mixed, ...corpus]) {
      for (const fileName of [name, 'input']) {
        const all = everyScore(text, fileName);
        const detection = detectFormat(text, fileName);
        expect(detection.format?.name ?? null, name).toBe(bestOf(all));
        for (const { name: format, score } of detection.scores)
          expect(score, `${name} ${format}`).toBe(all.find((s) => s.name === format)!.score);
        // Nothing is skipped when no format wins: the error lists every detector.
        if (detection.format === null) expect(detection.scores).toHaveLength(FORMATS.length);
      }
    }
  });

  it('every detector stays under its declared ceiling', () => {
    for (const [name, text] of [...samples, ...mixed, ...corpus]) {
      for (const entry of everyScore(text, name)) expect(entry.score, `${name} ${entry.name}`).toBeLessThanOrEqual(entry.ceiling);
    }
  });

  it('a folder of messages is detected from the message detectors alone', () => {
    const message = samples.find(([name]) => name.startsWith('eml/') && name.endsWith('.eml'));
    expect(message).toBeDefined();
    const detection = detectFormat(message![1], message![0]);
    expect(detection.format?.name).toBe('eml');
    // The JSON and CSV exports' detectors (ceilings 0.95 and below) were not run.
    expect(detection.scores.map((s) => s.name)).not.toContain('ses');
  });
});
