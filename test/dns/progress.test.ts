import { describe, expect, it } from 'vitest';
import { formatProgressLine } from '../../src/cli/progress.js';

describe('DNS progress line', () => {
  it('counts domains, not rows', () => {
    expect(formatProgressLine({ label: 'dns', unit: 'domains', rows: 120, elapsedMs: 2000 })).toBe('dns: 120 domains, 60 domains/s');
  });
});
