import {
  BATTERY_END_OF_LIFE_CYCLES,
  HEALTH_FORMULA,
  type BatteryHealth,
  type BatteryHealthResponse,
  type CyclesSource,
  type EquipmentItem,
  type EquipmentKind,
  type EquipmentListResponse,
  type EquipmentPutBody,
  type HealthMethod,
} from '@dronelog/contracts';
import { InvalidError } from '../errors.js';
import type { BatteryStatsRow, EquipmentChanges, EquipmentRepository } from '../repositories/equipment.repository.js';

const DISPLAY_NAME_MAX = 100;
const NOTES_MAX = 2000;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Aircraft and batteries by serial: display names, retirement and notes (stored in DuckDB), and the battery health
 * estimate. A serial does not have to appear in a flight to be named (a new battery can be registered first).
 */
export class EquipmentService {
  readonly #repo: EquipmentRepository;

  constructor(repo: EquipmentRepository) {
    this.#repo = repo;
  }

  async list(): Promise<EquipmentListResponse> {
    return { items: await this.#repo.list() };
  }

  async update(kind: EquipmentKind, rawSerial: string, body: EquipmentPutBody): Promise<EquipmentItem> {
    const serial = rawSerial.trim();
    if (serial === '' || CONTROL_CHARS.test(serial)) {
      throw new InvalidError('serial must be the serial number as shown in the logs (one line, not blank).', 'invalid-serial');
    }
    const changes: EquipmentChanges = {};
    if (body.displayName !== undefined) changes.displayName = normaliseDisplayName(body.displayName);
    if (body.retired !== undefined) changes.retired = body.retired;
    if (body.notes !== undefined) changes.notes = normaliseNotes(body.notes);
    if (Object.keys(changes).length === 0) {
      throw new InvalidError('Nothing to change: send at least one of displayName, retired, notes.', 'empty-update');
    }
    await this.#repo.upsert(kind, serial, changes);
    const [item] = await this.#repo.list({ kind, serial });
    if (!item) throw new Error(`equipment ${kind} ${serial} vanished after its update`);
    return item;
  }

  async batteryHealth(): Promise<BatteryHealthResponse> {
    const stats = await this.#repo.batteryStats();
    const trends = await this.#repo.capacityTrends();
    return {
      items: stats.map((s) => ({ ...toBatteryHealth(s), capacityTrend: trends.get(s.serial) ?? [] })),
      formula: HEALTH_FORMULA,
    };
  }
}

/** Charge cycles as shown: the battery's own latest count when a log has one, else its number of flights. */
export function batteryCycles(s: Pick<BatteryStatsRow, 'loggedCycles' | 'flights'>): { cycles: number; source: CyclesSource } {
  return s.loggedCycles !== null && s.loggedCycles >= 0 ? { cycles: s.loggedCycles, source: 'log' } : { cycles: s.flights, source: 'flights' };
}

/**
 * The documented health estimate (HEALTH_FORMULA): capacity fade against the design capacity the battery reports,
 * else against its first full-charge capacity, else logged cycles, else flights, per 400.
 */
export function healthEstimate(
  s: Pick<BatteryStatsRow, 'designCapacityMah' | 'firstCapacityMah' | 'latestCapacityMah' | 'loggedCycles' | 'flights'>,
): { percent: number; method: HealthMethod } {
  const clamp = (v: number) => Math.round(Math.min(100, Math.max(0, v)) * 10) / 10;
  if (s.latestCapacityMah && s.designCapacityMah && s.designCapacityMah > 0) {
    return { percent: clamp((100 * s.latestCapacityMah) / s.designCapacityMah), method: 'design-capacity' };
  }
  if (s.firstCapacityMah && s.latestCapacityMah && s.firstCapacityMah > 0) {
    return { percent: clamp((100 * s.latestCapacityMah) / s.firstCapacityMah), method: 'capacity' };
  }
  const { cycles, source } = batteryCycles(s);
  return { percent: clamp(100 - (cycles / BATTERY_END_OF_LIFE_CYCLES) * 100), method: source === 'log' ? 'cycles' : 'flights' };
}

function toBatteryHealth(s: BatteryStatsRow): Omit<BatteryHealth, 'capacityTrend'> {
  const health = healthEstimate(s);
  const { cycles, source } = batteryCycles(s);
  return {
    serial: s.serial,
    name: s.displayName ?? s.serial,
    retired: s.retired,
    aircraftModel: s.aircraftModel,
    flights: s.flights,
    durationS: s.durationS,
    firstUsedAt: s.firstUsedAt,
    lastUsedAt: s.lastUsedAt,
    cycles,
    cyclesSource: source,
    designCapacityMah: s.designCapacityMah,
    firstCapacityMah: s.firstCapacityMah,
    latestCapacityMah: s.latestCapacityMah,
    healthPercent: health.percent,
    healthMethod: health.method,
    healthBand: health.percent > 70 ? 'good' : health.percent > 40 ? 'fair' : 'poor',
    minVoltageV: s.minVoltageV,
    minTemperatureC: s.minTemperatureC,
    maxTemperatureC: s.maxTemperatureC,
  };
}

function normaliseDisplayName(v: string | null): string | null {
  if (v === null) return null;
  const t = v.trim();
  if (t.length > DISPLAY_NAME_MAX) throw new InvalidError(`displayName is ${t.length} characters long; keep it to ${DISPLAY_NAME_MAX}.`, 'invalid-name');
  if (CONTROL_CHARS.test(t)) throw new InvalidError('displayName must be a single line without control characters.', 'invalid-name');
  return t === '' ? null : t;
}

function normaliseNotes(v: string | null): string | null {
  if (v === null) return null;
  if (v.length > NOTES_MAX) throw new InvalidError(`notes are ${v.length} characters long; keep them to ${NOTES_MAX}.`, 'invalid-notes');
  return v.trim() === '' ? null : v;
}
