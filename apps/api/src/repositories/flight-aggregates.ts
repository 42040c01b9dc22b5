import type { ParsedFlight } from '@dronelog/flightlog';

/**
 * Per-flight battery aggregates stored on the flights row at import, so the overview, battery health and the
 * summary export read the flights table only. Migration 5 backfills older flights with the same definitions in SQL:
 * - battery_full_capacity_mah: the highest positive full-charge capacity reported during the flight;
 * - battery_start/end_voltage_v: the first/last positive pack voltage (frames before the first battery record read 0);
 * - battery_start/end_temp_c: the first/last temperature on a row that has such a voltage.
 */
export function batteryAggregateColumns(flight: ParsedFlight): Array<[string, number | null]> {
  const n = flight.telemetry.length;
  const capacity = flight.telemetry.numeric.batteryFullCapacityMah;
  const voltage = flight.telemetry.numeric.batteryVoltageV;
  const temperature = flight.telemetry.numeric.batteryTemperatureC;
  let maxCapacity: number | null = null;
  let vStart: number | null = null;
  let vEnd: number | null = null;
  let tStart: number | null = null;
  let tEnd: number | null = null;
  for (let i = 0; i < n; i++) {
    const c = capacity?.[i];
    if (c !== undefined && Number.isFinite(c) && c > 0 && (maxCapacity === null || c > maxCapacity)) maxCapacity = c;
    const v = voltage?.[i];
    if (v === undefined || !Number.isFinite(v) || v <= 0) continue;
    if (vStart === null) vStart = v;
    vEnd = v;
    const t = temperature?.[i];
    if (t !== undefined && Number.isFinite(t)) {
      if (tStart === null) tStart = t;
      tEnd = t;
    }
  }
  return [
    ['battery_full_capacity_mah', maxCapacity],
    ['battery_start_voltage_v', vStart],
    ['battery_end_voltage_v', vEnd],
    ['battery_start_temp_c', tStart],
    ['battery_end_temp_c', tEnd],
  ];
}
