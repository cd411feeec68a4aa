import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatDuration, formatProgressLine } from '../../src/cli/progress.js';

function fakeTerminal(isTTY = true, columns = 120) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (text: string) => writes.push(text) } };
}

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createProgress', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('draws one line with \\r on a terminal and clears it when done', () => {
    const { writes, stream } = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'contacts.csv', stream, now: clock.now, enabled: true });
    clock.advance(1000);
    progress.update(250_000);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\r/);
    expect(writes[0]).not.toContain('\n');
    expect(writes[0]).toContain('contacts.csv: 250,000 rows, 250,000 rows/s');
    progress.done();
    expect(writes).toEqual([writes[0], '\r\x1b[K']);
  });

  it('shows percentage and ETA from bytes read against the total size', () => {
    const { writes, stream } = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'big.csv', totalBytes: 100_000_000, stream, now: clock.now, enabled: true });
    clock.advance(10_000);
    // A quarter of the bytes in 10 s: three quarters left take 30 s more.
    progress.update(1_000_000, 25_000_000);
    expect(writes[0]).toContain('25%');
    expect(writes[0]).toContain('ETA 0:30');
  });

  it('redraws at most about five times a second however often it is called', () => {
    const { writes, stream } = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'x', stream, now: clock.now, enabled: true });
    for (let rows = 1; rows <= 10_000; rows++) {
      clock.advance(0.1); // 10,000 calls over one second
      progress.update(rows);
    }
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(5);
  });

  it('prints nothing for a run shorter than one redraw interval, not even the clearing', () => {
    const { writes, stream } = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'small.csv', stream, now: clock.now, enabled: true });
    clock.advance(50);
    progress.update(300);
    progress.done();
    expect(writes).toEqual([]);
  });

  it('ignores updates after done, so a late callback cannot leave a stale line', () => {
    const { writes, stream } = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'x', stream, now: clock.now, enabled: true });
    clock.advance(500);
    progress.update(10);
    progress.done();
    progress.done();
    clock.advance(500);
    progress.update(20);
    expect(writes).toHaveLength(2);
  });

  it('is silent when stderr is not a terminal (piped or redirected)', () => {
    vi.stubEnv('CI', '');
    const { writes, stream } = fakeTerminal(false);
    const clock = fakeClock();
    const progress = createProgress({ label: 'x', stream, now: clock.now });
    clock.advance(5000);
    progress.update(1_000_000, 10);
    progress.done();
    expect(writes).toEqual([]);
  });

  it('is silent on a terminal under CI, and drawn on a terminal otherwise', () => {
    const clock = fakeClock();
    vi.stubEnv('CI', 'true');
    const underCi = fakeTerminal(true);
    const silent = createProgress({ label: 'x', stream: underCi.stream, now: clock.now });
    vi.stubEnv('CI', '');
    const interactive = fakeTerminal(true);
    const shown = createProgress({ label: 'x', stream: interactive.stream, now: clock.now });
    clock.advance(1000);
    silent.update(5);
    shown.update(5);
    expect(underCi.writes).toEqual([]);
    expect(interactive.writes).toHaveLength(1);
  });

  it('obeys enabled: false even on a terminal (--quiet, --json)', () => {
    vi.stubEnv('CI', '');
    const { writes, stream } = fakeTerminal(true);
    const clock = fakeClock();
    const progress = createProgress({ label: 'x', stream, now: clock.now, enabled: false });
    clock.advance(1000);
    progress.update(5);
    progress.done();
    expect(writes).toEqual([]);
  });

  it('cuts the line to the terminal width so it never wraps', () => {
    const { writes, stream } = fakeTerminal(true, 30);
    const clock = fakeClock();
    const progress = createProgress({ label: 'a-rather-long-file-name.csv', totalBytes: 1000, stream, now: clock.now, enabled: true });
    clock.advance(1000);
    progress.update(123_456, 500);
    const visible = writes[0]!.replace('\r', '').replace('\x1b[K', '');
    expect(visible.length).toBe(29);
  });
});

describe('formatProgressLine', () => {
  it('leaves out percentage and ETA when the total size is unknown (stdin)', () => {
    expect(formatProgressLine({ label: '-', rows: 1500, elapsedMs: 3000, bytesRead: 9999 })).toBe('-: 1,500 rows, 500 rows/s');
  });

  it('never shows more than 100% or a negative ETA when the file grew while read', () => {
    const line = formatProgressLine({ label: 'f', rows: 10, elapsedMs: 1000, bytesRead: 1200, totalBytes: 1000 });
    expect(line).toContain('100%');
    expect(line).toContain('ETA 0:00');
  });
});

describe('formatDuration', () => {
  it('writes minutes:seconds, and hours when needed', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(59.2)).toBe('1:00');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

describe('formatProgressLine: other units (ingest counts lines, prune addresses)', () => {
  it('names the unit in the count and the rate', () => {
    expect(formatProgressLine({ label: 'ingest', unit: 'lines', rows: 250_000, elapsedMs: 2_000 })).toBe(
      'ingest: 250,000 lines, 125,000 lines/s',
    );
    expect(formatProgressLine({ label: 'prune', unit: 'addresses', rows: 40_000, elapsedMs: 1_000 })).toBe(
      'prune: 40,000 addresses, 40,000 addresses/s',
    );
  });
});
