import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncRun, SyncStatus } from '@dronelog/contracts';
import { ApiError } from '$lib/api/client.js';
import { POLL_IDLE_MS, POLL_RUNNING_MS, SyncMonitor } from './sync-monitor.svelte.js';

const counts = { seen: 0, unchanged: 0, new: 0, waiting: 0, imported: 0, duplicate: 0, awaitingKey: 0, failed: 0, ignored: 0 };
const run = (status: SyncRun['status'], done = 0): SyncRun => ({
  id: 1,
  trigger: 'manual',
  status,
  startedAt: '2024-09-01T12:00:00Z',
  finishedAt: status === 'running' ? null : '2024-09-01T12:01:00Z',
  counts,
  error: null,
  progress: status === 'running' ? { phase: 'importing', currentFile: `f${done}.txt`, done, total: 3 } : null,
});
const status = (current: SyncRun | null, enabled = true): SyncStatus => ({
  enabled,
  path: enabled ? '/sync-logs' : null,
  schedule: '0 0 */8 * * *',
  onStart: false,
  maxDepth: 8,
  stableMs: 5000,
  nextRunAt: null,
  current,
  lastRuns: [],
});

/** A server whose answers are queued by the test. */
function fakeClient(answers: SyncStatus[]) {
  const calls = { status: 0, start: 0 };
  return {
    calls,
    client: {
      syncStatus: async () => {
        calls.status++;
        return answers.length > 1 ? answers.shift()! : answers[0]!;
      },
      startSync: async () => {
        calls.start++;
        return run('running');
      },
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SyncMonitor', () => {
  it('polls every second while a run is going and reports the end once', async () => {
    const f = fakeClient([status(run('running', 1)), status(run('running', 2)), status(null)]);
    let finished = 0;
    const m = new SyncMonitor({ initial: status(null), client: f.client, onFinished: () => finished++ });
    await m.refresh();
    expect(m.running).toBe(true);
    expect(m.status?.current?.progress?.currentFile).toBe('f1.txt');
    await vi.advanceTimersByTimeAsync(POLL_RUNNING_MS);
    expect(m.status?.current?.progress?.done).toBe(2);
    await vi.advanceTimersByTimeAsync(POLL_RUNNING_MS);
    expect(m.running).toBe(false);
    expect(finished).toBe(1);
    // Idle: the next poll comes after the idle interval, not after a second.
    await vi.advanceTimersByTimeAsync(POLL_RUNNING_MS * 2);
    expect(f.calls.status).toBe(3);
    await vi.advanceTimersByTimeAsync(POLL_IDLE_MS);
    expect(f.calls.status).toBe(4);
    expect(finished).toBe(1);
    m.destroy();
  });

  it('starts a run and follows it; a 409 (already running) is not an error', async () => {
    const f = fakeClient([status(run('running', 0))]);
    const m = new SyncMonitor({ initial: status(null), client: f.client });
    await m.start();
    expect(f.calls.start).toBe(1);
    expect(m.running).toBe(true);
    expect(m.error).toBeNull();

    const busy = new SyncMonitor({
      initial: status(null),
      client: { ...f.client, startSync: async () => Promise.reject(new ApiError(409, 'sync-running', 'Sync run 1 is already in progress')) },
    });
    await busy.start();
    expect(busy.error).toBeNull();
    expect(busy.running).toBe(true);
    m.destroy();
    busy.destroy();
  });

  it('shows the server message when a run cannot start, and never polls a disabled sync', async () => {
    const f = fakeClient([status(null, false)]);
    const m = new SyncMonitor({
      initial: status(null, false),
      client: { ...f.client, startSync: async () => Promise.reject(new ApiError(503, 'sync-disabled', 'Set SYNC_LOGS_PATH')) },
    });
    await m.start();
    expect(m.error).toBe('Set SYNC_LOGS_PATH');
    const calls = f.calls.status;
    await vi.advanceTimersByTimeAsync(POLL_IDLE_MS * 3);
    expect(f.calls.status).toBe(calls);
    m.destroy();
  });

  it('stops polling when destroyed', async () => {
    const f = fakeClient([status(run('running', 1))]);
    const m = new SyncMonitor({ client: f.client });
    await m.refresh();
    m.destroy();
    await vi.advanceTimersByTimeAsync(POLL_RUNNING_MS * 5);
    expect(f.calls.status).toBe(1);
  });
});
