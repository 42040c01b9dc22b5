import type {
  EquipmentKind,
  MaintenanceCounter,
  MaintenanceItem,
  MaintenanceQuery,
  MaintenanceResponse,
  MaintenanceThresholds,
  ServiceRecord,
  ServiceRecordBody,
  ServiceRecordList,
  ThresholdsPutBody,
} from '@dronelog/contracts';
import { InvalidError, NotFoundError } from '../errors.js';
import type { EquipmentRepository } from '../repositories/equipment.repository.js';
import { itemKey, type MaintenanceRepository } from '../repositories/maintenance.repository.js';
import { parseDayOrInstant } from './time-input.js';

const DAY_MS = 86_400_000;
const NOTE_MAX = 2000;
const COUNTERS = ['flights', 'hours', 'days'] as const satisfies readonly MaintenanceCounter[];

/**
 * Maintenance tracking per aircraft and battery: thresholds (per item, else the kind's default) for flights, flight
 * hours and days; service records restart the counters. For each item: the counters since the last service (or
 * since the first flight), the percentage of each threshold, and `overdue` when any counter reaches 100 %.
 */
export class MaintenanceService {
  readonly #repo: MaintenanceRepository;
  readonly #equipment: EquipmentRepository;
  readonly #now: () => Date;

  constructor(repo: MaintenanceRepository, equipment: EquipmentRepository, now: () => Date = () => new Date()) {
    this.#repo = repo;
    this.#equipment = equipment;
    this.#now = now;
  }

  async status(query: MaintenanceQuery = {}): Promise<MaintenanceResponse> {
    const now = this.#now().getTime();
    const [equipment, defaults, overrides, services, usage] = [
      await this.#equipment.list(),
      await this.#repo.defaults(),
      await this.#repo.itemThresholds(),
      await this.#repo.lastServices(),
      await this.#repo.usageSinceLastService(),
    ];
    const items: MaintenanceItem[] = [];
    for (const e of equipment) {
      if (query.kind && e.kind !== query.kind) continue;
      if (e.retired && !query.includeRetired) continue;
      const key = itemKey(e.kind, e.serial);
      const own = overrides.get(key);
      const base = defaults[e.kind];
      const thresholds: MaintenanceThresholds = {
        flights: own?.flights ?? base.flights,
        hours: own?.hours ?? base.hours,
        days: own?.days ?? base.days,
      };
      const source = (c: MaintenanceCounter) => (own?.[c] !== null && own?.[c] !== undefined ? 'item' : 'default') as 'item' | 'default';
      const lastService = services.get(key) ?? null;
      const used = usage.get(key);
      const from = lastService?.performedAt ?? used?.firstUsedAt ?? null;
      const since = {
        from,
        flights: used?.flights ?? 0,
        hours: round((used?.durationS ?? 0) / 3600, 3),
        days: from === null ? null : Math.max(0, Math.floor((now - Date.parse(from)) / DAY_MS)),
      };
      const pct = (value: number | null, limit: number | null) => (value === null || limit === null ? null : round((100 * value) / limit, 1));
      const percent = {
        flights: pct(since.flights, thresholds.flights),
        hours: pct((used?.durationS ?? 0) / 3600, thresholds.hours),
        days: pct(since.days, thresholds.days),
      };
      const dueReasons = COUNTERS.filter((c) => (percent[c] ?? 0) >= 100);
      items.push({
        kind: e.kind,
        serial: e.serial,
        name: e.name,
        retired: e.retired,
        thresholds,
        thresholdSource: { flights: source('flights'), hours: source('hours'), days: source('days') },
        lastService,
        since,
        percent,
        overdue: dueReasons.length > 0,
        dueReasons,
      });
    }
    const worst = (i: MaintenanceItem) => Math.max(-1, ...COUNTERS.map((c) => i.percent[c] ?? -1));
    items.sort((a, b) => worst(b) - worst(a) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    return { items, defaults };
  }

  async setDefaults(kind: EquipmentKind, body: ThresholdsPutBody): Promise<MaintenanceResponse> {
    await this.#repo.setDefaults(kind, thresholdChanges(body));
    return this.status({ kind, includeRetired: true });
  }

  async setThresholds(kind: EquipmentKind, serial: string, body: ThresholdsPutBody): Promise<MaintenanceItem> {
    await this.#requireKnown(kind, serial);
    await this.#repo.setItemThresholds(kind, serial, thresholdChanges(body));
    return this.#item(kind, serial);
  }

  async addService(kind: EquipmentKind, serial: string, body: ServiceRecordBody): Promise<ServiceRecord> {
    await this.#requireKnown(kind, serial);
    const now = this.#now();
    let performedAt = now;
    if (body.date !== undefined) {
      performedAt = parseDayOrInstant('date', body.date, { allowDay: true, requireOffset: false });
      if (performedAt.getTime() > now.getTime() + 60_000) {
        throw new InvalidError(`date ${body.date} is in the future; record a service once it is done.`, 'invalid-date');
      }
    }
    const note = body.note?.trim() ? body.note : null;
    if (note && note.length > NOTE_MAX) throw new InvalidError(`note is ${note.length} characters long; keep it to ${NOTE_MAX}.`, 'invalid-note');
    return this.#repo.addService(kind, serial, performedAt.toISOString(), note);
  }

  async services(kind: EquipmentKind, serial: string): Promise<ServiceRecordList> {
    return { items: await this.#repo.services(kind, serial) };
  }

  async deleteService(id: number): Promise<void> {
    if (!(await this.#repo.deleteService(id))) throw new NotFoundError(`There is no service record with id ${id}.`);
  }

  async #item(kind: EquipmentKind, serial: string): Promise<MaintenanceItem> {
    const item = (await this.status({ kind, includeRetired: true })).items.find((i) => i.serial === serial);
    if (!item) throw unknownItem(kind, serial);
    return item;
  }

  async #requireKnown(kind: EquipmentKind, serial: string): Promise<void> {
    if ((await this.#equipment.list({ kind, serial })).length === 0) throw unknownItem(kind, serial);
  }
}

function unknownItem(kind: EquipmentKind, serial: string): NotFoundError {
  return new NotFoundError(
    `No ${kind} with serial "${serial}" is known: it appears in no flight and is not registered (PUT /api/v1/equipment/${kind}/${encodeURIComponent(serial)} registers it).`,
  );
}

function thresholdChanges(body: ThresholdsPutBody): Partial<MaintenanceThresholds> {
  const out: Partial<MaintenanceThresholds> = {};
  for (const c of COUNTERS) if (body[c] !== undefined) out[c] = body[c];
  if (Object.keys(out).length === 0) throw new InvalidError('Nothing to change: send at least one of flights, hours, days.', 'empty-update');
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
