/** Wording for sync runs: phases, triggers, statuses and a one-line summary of a run's counts. */
import type { SyncRun, SyncRunCounts, SyncRunPhase } from '@dronelog/contracts';

export const PHASE_LABEL: Record<SyncRunPhase, string> = {
  scanning: 'Scanning the folder…',
  settling: 'Waiting for files still being copied…',
  importing: 'Importing',
  finishing: 'Finishing…',
};

export const TRIGGER_LABEL: Record<SyncRun['trigger'], string> = {
  schedule: 'Scheduled',
  manual: 'Manual',
  startup: 'At start-up',
};

export const RUN_STATUS_LABEL: Record<SyncRun['status'], string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export interface CountPart {
  key: keyof SyncRunCounts;
  n: number;
  label: string;
  /** CSS class of the existing import badges (colours). */
  cls: string;
}

const PARTS: Array<[keyof SyncRunCounts, string, string, string]> = [
  ['imported', 'imported', 'imported', 'badge-imported'],
  ['duplicate', 'duplicate', 'duplicates', 'badge-duplicate'],
  ['awaitingKey', 'awaiting key', 'awaiting key', 'badge-awaiting-key'],
  ['failed', 'failed', 'failed', 'badge-failed'],
  ['ignored', 'ignored', 'ignored', ''],
  ['waiting', 'still copying', 'still copying', ''],
];

/** The outcomes worth showing (non-zero), in a stable order; "nothing new" when a run found no new file. */
export function runParts(c: SyncRunCounts): CountPart[] {
  return PARTS.filter(([k]) => c[k] > 0).map(([key, one, many, cls]) => ({ key, n: c[key], label: c[key] === 1 ? one : many, cls }));
}

export function runSummary(c: SyncRunCounts): string {
  const parts = runParts(c);
  if (c.new === 0 && parts.length === 0) return `nothing new (${c.seen.toLocaleString()} ${c.seen === 1 ? 'file' : 'files'} checked)`;
  return parts.map((p) => `${p.n.toLocaleString()} ${p.label}`).join(' · ') || `${c.new.toLocaleString()} new`;
}

/** Progress of a running run in %, or null while the total is not known yet (scanning, settling). */
export function runPercent(run: Pick<SyncRun, 'progress'>): number | null {
  const p = run.progress;
  if (!p || p.total <= 0 || p.phase === 'scanning' || p.phase === 'settling') return null;
  return Math.min(100, Math.round((p.done / p.total) * 100));
}
