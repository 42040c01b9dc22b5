import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatteryHealth, BatteryHealthResponse, FlightDetail } from '@dronelog/contracts';
import { demoFlight, startFakeKeychainServer, writeDjiLog, type FakeKeychainServer } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { readRealLog, realLogsDir, sql, uploadOne } from './imports-helpers.js';
import { seedFlight, type FlightColumns } from './seed.js';

const DAY_MS = 86_400_000;
const dir = realLogsDir();

async function batteries(t: TestApp): Promise<Record<string, BatteryHealth>> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/equipment/batteries' });
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries((res.json() as BatteryHealthResponse).items.map((b) => [b.serial, b]));
}

/**
 * Cycle counts and design capacity as the battery logs them, with known answers:
 * - BL: cycles 7 on day 0, none on day 1 → 7 cycles from the log (the latest flight that logged some);
 *   full-charge 4000 mAh on day 1, design 4280 → health 100 × 4000 / 4280 = 93.46 → 93.5 ('design-capacity');
 * - BN: cycles 30 then 28 (a replaced pack that kept its serial) → the latest, 28, not the highest;
 * - BF: nothing logged, 5 flights → 5 cycles from flights, health 100 − 5 / 400 × 100 = 98.75 → 98.8.
 */
describe('battery cycles and design capacity from the logs', () => {
  let t: TestApp;
  const flight = (day: number, battery: string, extra: Partial<FlightColumns> = {}): FlightColumns => ({
    aircraft_serial: 'AC',
    battery_serial: battery,
    start_time: new Date(Date.parse('2024-03-01T09:00:00Z') + day * DAY_MS).toISOString(),
    duration_s: 600,
    ...extra,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    await seedFlight(t.app.db, { flight: flight(0, 'BL', { battery_cycles: 7, battery_design_capacity_mah: 4280 }) });
    await seedFlight(t.app.db, { flight: flight(1, 'BL', { battery_full_capacity_mah: 4000 }) });
    await seedFlight(t.app.db, { flight: flight(0, 'BN', { battery_cycles: 30 }) });
    await seedFlight(t.app.db, { flight: flight(1, 'BN', { battery_cycles: 28 }) });
    for (let d = 0; d < 5; d++) await seedFlight(t.app.db, { flight: flight(d, 'BF') });
  });
  afterAll(async () => t?.close());

  it('shows the latest logged cycle count with its source, else the number of flights', async () => {
    const by = await batteries(t);
    expect(by.BL).toMatchObject({ cycles: 7, cyclesSource: 'log', designCapacityMah: 4280, latestCapacityMah: 4000 });
    expect(by.BN).toMatchObject({ cycles: 28, cyclesSource: 'log', healthMethod: 'cycles', healthPercent: 93 });
    expect(by.BF).toMatchObject({ cycles: 5, cyclesSource: 'flights', designCapacityMah: null, healthMethod: 'flights', healthPercent: 98.8 });
  });

  it('compares the latest full-charge capacity with the design capacity when both are logged', async () => {
    expect((await batteries(t)).BL).toMatchObject({ healthMethod: 'design-capacity', healthPercent: 93.5, healthBand: 'good' });
  });
});

describe('a synthetic v14 log whose smart battery reports 212 cycles and 2590 mAh (no real v13+ log is readable offline)', () => {
  const API_KEY = 'test-api-key';
  let server: FakeKeychainServer;
  let t: TestApp;

  beforeAll(async () => {
    server = await startFakeKeychainServer({ apiKey: API_KEY });
    t = await buildTestApp({ DJI_API_KEY: API_KEY, DJI_KEYCHAIN_ENDPOINT: server.url, DJI_KEYCHAIN_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('stores them at import and battery health shows them', async () => {
    const spec = demoFlight({
      seed: 'cycles-v14',
      durationS: 30,
      startTime: '2024-09-01T12:00:00Z',
      batterySerial: 'SYN-BATT-1',
      batteryCycles: 212,
      batteryDesignCapacityMah: 2590,
    });
    const r = await uploadOne(t.app, { name: 'cycles-v14.txt', bytes: writeDjiLog(spec, { version: 14 }).bytes });
    expect(r.status, r.reason).toBe('imported');
    const [row] = await sql(t.app, 'SELECT battery_cycles, battery_design_capacity_mah, battery_full_capacity_mah FROM flights WHERE id = $1', [
      r.flightId!,
    ]);
    expect(row).toMatchObject({ battery_cycles: 212, battery_design_capacity_mah: 2590 });
    const b = (await batteries(t))['SYN-BATT-1']!;
    expect(b).toMatchObject({ cycles: 212, cyclesSource: 'log', designCapacityMah: 2590, healthMethod: 'design-capacity' });
    // The writer's full-charge capacity is the aircraft profile's pack (Mini 4 Pro: 2590 mAh) → 100 %.
    expect(row!.battery_full_capacity_mah).toBe(spec.battery.fullCapacityMah);
    expect(b.healthPercent).toBe(Math.min(100, Math.round((1000 * spec.battery.fullCapacityMah) / 2590) / 10));
  });

  it('keeps them through a Dronelog CSV export and re-import', async () => {
    const [row] = await sql<{ id: bigint }>(t.app, `SELECT id FROM flights WHERE battery_serial = 'SYN-BATT-1'`);
    const id = Number(row!.id);
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}` })).json() as FlightDetail;
    expect(detail).toMatchObject({ batteryCycles: 212, batteryDesignCapacityMah: 2590 });
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/flights/${id}/export?format=csv` });
    expect(csv.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/flights/${id}` })).statusCode).toBe(204);
    const r = await uploadOne(t.app, { name: 'cycles-v14.csv', bytes: csv.body });
    expect(r.status, r.reason).toBe('imported');
    const again = (await t.app.inject({ method: 'GET', url: `/api/v1/flights/${r.flightId}` })).json() as FlightDetail;
    expect(again).toMatchObject({ sourceFormat: 'dronelog-csv', batteryCycles: 212, batteryDesignCapacityMah: 2590 });
  });
});

describe.skipIf(!dir)('real logs: the Red Cat Mavic 2 battery and the df010 Inspire 1 battery', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    for (const name of ['chrisvm_mavic2_0.txt', 'chrisvm_mavic2_12.txt', 'chrisvm_mavic2_16.txt', 'vtolabs-droner_df010_Inspire1_DJIFlightRecord_2018-06-20_[09-16-53].txt']) {
      const r = await uploadOne(t.app, await readRealLog(dir!, name));
      expect(r.status, `${name}: ${r.reason}`).toBe('imported');
    }
  });
  afterAll(async () => t?.close());

  it('stores each flight’s logged cycle count (0 → 1 → 2 over a week of flying)', async () => {
    const rows = await sql(t.app, `SELECT file_name, battery_cycles, battery_design_capacity_mah FROM flights WHERE battery_serial = '0P2AFC7534006E' ORDER BY start_time`);
    expect(rows.map((r) => [r.file_name, r.battery_cycles, r.battery_design_capacity_mah])).toEqual([
      ['chrisvm_mavic2_0.txt', 0, 3850],
      ['chrisvm_mavic2_12.txt', 1, 3850],
      ['chrisvm_mavic2_16.txt', 2, 3850],
    ]);
  });

  it('shows the Mavic 2 battery with 2 cycles from the log and its health against the 3850 mAh it was designed for', async () => {
    const b = (await batteries(t))['0P2AFC7534006E']!;
    // Only mavic2_16 logged a full-charge capacity; read it from that flight's telemetry, not from the flights row.
    const [tel] = await sql<{ cap: number }>(
      t.app,
      `SELECT max(battery_full_capacity_mah)::DOUBLE AS cap FROM telemetry WHERE flight_id = (SELECT id FROM flights WHERE file_name = 'chrisvm_mavic2_16.txt')`,
    );
    expect(b).toMatchObject({ flights: 3, cycles: 2, cyclesSource: 'log', designCapacityMah: 3850, healthMethod: 'design-capacity' });
    expect(b.latestCapacityMah).toBe(tel!.cap);
    expect(b.healthPercent).toBe(Math.round((1000 * tel!.cap) / 3850) / 10);
  });

  it('shows the Inspire 1 battery with the 10 cycles its PhantomHelp export also lists', async () => {
    expect((await batteries(t))['6781073611']).toMatchObject({ cycles: 10, cyclesSource: 'log', designCapacityMah: null, healthMethod: 'capacity' });
  });
});
