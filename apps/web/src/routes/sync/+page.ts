import { logbookApi } from '$lib/api/logbook.js';
import type { SyncFile, SyncIgnoreEntry } from '@dronelog/contracts';
import type { PageLoad } from './$types';

/** Files needing attention are listed in full up to this many per status (most recent first). */
const FILES_LIMIT = 200;

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:sync');
  const client = logbookApi(fetch);
  const status = await client.syncStatus();
  if (!status.enabled) return { status, failed: [] as SyncFile[], awaiting: [] as SyncFile[], failedTotal: 0, awaitingTotal: 0, ignore: [] as SyncIgnoreEntry[], listError: null };
  try {
    const [failed, awaiting, ignore] = await Promise.all([
      client.syncFiles('failed', FILES_LIMIT),
      client.syncFiles('awaiting-key', FILES_LIMIT),
      client.syncIgnore(),
    ]);
    return {
      status,
      failed: failed.items,
      failedTotal: failed.total,
      awaiting: awaiting.items,
      awaitingTotal: awaiting.total,
      ignore: ignore.items,
      listError: null as string | null,
    };
  } catch (e) {
    return { status, failed: [], awaiting: [], failedTotal: 0, awaitingTotal: 0, ignore: [], listError: (e as Error).message };
  }
};
