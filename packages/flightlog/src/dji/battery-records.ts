/**
 * What the smart battery says about itself (charge cycles, design capacity, serial), read from the parser's raw
 * records: frames() drops these fields. Sources, by log generation:
 * - CenterBattery (type 7; Phantom 3/4, Inspire 1, …): `numberOfDischarges`. Phantom 4 logs leave the static part
 *   of this record blank (life, serial and production date all 0, discharges 0), so a record counts only when it
 *   reports a battery life.
 * - SmartBatteryGroup / SmartBatteryStatic (type 22, sub-type 1; Mavic 2, Spark, Mavic Air, Matrice 210, DJI Fly
 *   logs): `loop_times` and `designed_capacity`, one record per battery on multi-battery aircraft.
 * - ComponentSerial (type 40) with component "Battery": the pack's printed serial, when the header and the Recover
 *   record have none.
 */

/** The subset of dji-log-parser's `Record` read here, typed as it arrives at runtime. */
export interface DjiRawRecord {
  type: string;
  content?: unknown;
}

export interface DjiBatteryInfo {
  /** Highest charge-cycle count reported during the flight (several batteries: the highest of them). */
  cycles: number | null;
  /** Design (nominal) capacity, mAh. */
  designCapacityMah: number | null;
  /** First battery serial from a ComponentSerial record (raw; cleaned by the caller). */
  serial: string | null;
}

/** No Li-ion/LiPo pack lives this long; larger counts are unfilled (0xFFFF) or misread fields. */
const MAX_PLAUSIBLE_CYCLES = 3000;
/** Smallest and largest DJI packs (Mini ≈ 1,100 mAh … agricultural 30,000 mAh), with margin. */
const MIN_DESIGN_CAPACITY_MAH = 100;
const MAX_DESIGN_CAPACITY_MAH = 50_000;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_PLAUSIBLE_CYCLES;

/** One pass over the records; keeps no reference to them, so the caller can drop the array right after. */
export function readBatteryInfo(records: readonly DjiRawRecord[]): DjiBatteryInfo {
  let cycles: number | null = null;
  let design: number | null = null;
  let serial: string | null = null;
  const seeCycles = (v: unknown): void => {
    if (isCount(v) && (cycles === null || v > cycles)) cycles = v;
  };
  for (const r of records) {
    const c = r.content;
    if (c === null || typeof c !== 'object') continue;
    const o = c as Record<string, unknown>;
    if (r.type === 'CenterBattery') {
      if (typeof o.life === 'number' && o.life > 0 && o.life <= 100) seeCycles(o.numberOfDischarges);
    } else if (r.type === 'SmartBatteryGroup' && o.type === 'SmartBatteryStatic') {
      const d = o.designed_capacity;
      // A blank record (design capacity 0) carries no cycle count either.
      if (typeof d !== 'number' || d < MIN_DESIGN_CAPACITY_MAH || d > MAX_DESIGN_CAPACITY_MAH) continue;
      if (design === null || d > design) design = d;
      seeCycles(o.loop_times);
    } else if (r.type === 'ComponentSerial' && serial === null && o.componentType === 'Battery') {
      if (typeof o.serial === 'string' && o.serial.trim() !== '' && !o.serial.includes('\0')) serial = o.serial;
    }
  }
  return { cycles, designCapacityMah: design, serial };
}

/**
 * Whether the records hold one of the repeating battery records (CenterBattery, any SmartBatteryGroup record), blank or
 * not: then a prefix of the log says what the whole log would (see `batteryInfo()` in parse.ts). On every offline log
 * with SmartBatteryGroup records the SmartBatteryStatic ones are either among the first of them or absent from the
 * whole log (Mavic Pro, lvauv_pr11_test: dynamic and cell-voltage records only).
 */
export function hasBatteryRecord(records: readonly DjiRawRecord[]): boolean {
  return records.some((r) => r.type === 'CenterBattery' || r.type === 'SmartBatteryGroup');
}
