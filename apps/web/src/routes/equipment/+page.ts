import { logbookApi } from '$lib/api/logbook.js';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:equipment');
  const client = logbookApi(fetch);
  const [equipment, batteries, maintenance] = await Promise.all([client.equipment(), client.batteryHealth(), client.maintenance(true)]);
  return { equipment: equipment.items, batteries: batteries.items, formula: batteries.formula, maintenance };
};
