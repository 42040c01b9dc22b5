import { describe, expect, it } from 'vitest';
import { runParts, runPercent, runSummary } from './sync.js';

const zero = { seen: 0, unchanged: 0, new: 0, waiting: 0, imported: 0, duplicate: 0, awaitingKey: 0, failed: 0, ignored: 0 };

describe('runSummary', () => {
  it('lists the non-zero outcomes in a stable order', () => {
    expect(runSummary({ ...zero, seen: 4, new: 4, imported: 2, awaitingKey: 1, failed: 1 })).toBe('2 imported · 1 awaiting key · 1 failed');
    expect(runParts({ ...zero, duplicate: 1, failed: 3 }).map((p) => p.cls)).toEqual(['badge-duplicate', 'badge-failed']);
  });

  it('says when nothing was new', () => {
    expect(runSummary({ ...zero, seen: 12, unchanged: 12 })).toBe('nothing new (12 files checked)');
    expect(runSummary({ ...zero, seen: 1, unchanged: 1 })).toBe('nothing new (1 file checked)');
  });
});

describe('runPercent', () => {
  it('is known only once importing has started', () => {
    expect(runPercent({ progress: { phase: 'scanning', currentFile: null, done: 0, total: 0 } })).toBeNull();
    expect(runPercent({ progress: { phase: 'importing', currentFile: 'a.txt', done: 1, total: 4 } })).toBe(25);
    expect(runPercent({ progress: null })).toBeNull();
  });
});
