import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatteryHealthResponse, EquipmentListResponse, MaintenanceItem, MaintenanceResponse } from '@dronelog/contracts';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';
import { buildTestApp, type TestApp } from './helper.js';
import { sql, uploadOne } from './imports-helpers.js';
import { seedFlight, type FlightColumns } from './seed.js';

const DAY_MS = 86_400_000;

/**
 * Batteries with known answers:
 * - BX: 3 flights, full capacity 5000 → 4900 → 4750 mAh, cycles 10/12/15 → health 100 × 4750 / 5000 = 95 (capacity);
 * - BY: 2 flights without capacity, cycles 200/240 → 100 − 240 / 400 × 100 = 40 (cycles), band poor (not > 40);
 * - BZ: 3 flights with neither → 100 − 3 / 400 × 100 = 99.25 → 99.3 (flights), shown as 3 cycles from flights.
 * Aircraft AM flies BX/BY/BZ: 8 flights of 30 min from 2024-01-10, one every 10 days.
 */
describe('equipment, battery health and maintenance', () => {
  let t: TestApp;

  const flight = (i: number, battery: string, extra: Partial<FlightColumns> = {}): FlightColumns => ({
    aircraft_serial: 'AM',
    aircraft_name: 'Maint',
    aircraft_model: 'Air 3',
    battery_serial: battery,
    start_time: new Date(Date.parse('2024-01-10T09:00:00Z') + i * 10 * DAY_MS).toISOString(),
    duration_s: 1800,
    ...extra,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    const bx = [
      { battery_full_capacity_mah: 5000, battery_cycles: 10, min_voltage_v: 14.8, battery_min_temp_c: 15, battery_max_temp_c: 35 },
      { battery_full_capacity_mah: 4900, battery_cycles: 12, min_voltage_v: 14.2, battery_min_temp_c: 12, battery_max_temp_c: 40 },
      { battery_full_capacity_mah: 4750, battery_cycles: 15, min_voltage_v: 14.5, battery_min_temp_c: 20, battery_max_temp_c: 38 },
    ];
    let i = 0;
    for (const b of bx) await seedFlight(t.app.db, { flight: flight(i++, 'BX', b) });
    for (const cycles of [200, 240]) await seedFlight(t.app.db, { flight: flight(i++, 'BY', { battery_cycles: cycles }) });
    for (let k = 0; k < 3; k++) await seedFlight(t.app.db, { flight: flight(i++, 'BZ') });
  });
  afterAll(async () => t.close());

  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  describe('battery health', () => {
    it('uses capacity fade when capacity is known, else cycles, else flights (documented formula)', async () => {
      const h = await get<BatteryHealthResponse>('/api/v1/equipment/batteries');
      expect(h.formula).toMatch(/capacity/);
      const by = Object.fromEntries(h.items.map((b) => [b.serial, b]));
      expect(by.BX).toMatchObject({
        flights: 3,
        durationS: 5400,
        cycles: 15,
        cyclesSource: 'log',
        designCapacityMah: null,
        firstCapacityMah: 5000,
        latestCapacityMah: 4750,
        healthPercent: 95,
        healthMethod: 'capacity',
        healthBand: 'good',
        minVoltageV: 14.2,
        minTemperatureC: 12,
        maxTemperatureC: 40,
        firstUsedAt: '2024-01-10T09:00:00.000Z',
        lastUsedAt: '2024-01-30T09:00:00.000Z',
        aircraftModel: 'Air 3',
      });
      expect(by.BX!.capacityTrend.map((p) => p[2])).toEqual([5000, 4900, 4750]);
      expect(by.BY).toMatchObject({ cycles: 240, healthPercent: 40, healthMethod: 'cycles', healthBand: 'poor', capacityTrend: [] });
      expect(by.BZ).toMatchObject({ cycles: 3, cyclesSource: 'flights', healthPercent: 99.3, healthMethod: 'flights', healthBand: 'good' });
    });

    it('stores the full-charge capacity and take-off/landing voltage of an imported log on its flight', async () => {
      const log = writeDjiLog(demoFlight({ seed: 'battery-agg', durationS: 40, startTime: '2024-05-01T10:00:00Z', batterySerial: 'BDEMO' }), {
        version: 10,
      });
      const r = await uploadOne(t.app, { name: 'battery-agg.txt', bytes: log.bytes });
      expect(r.status, r.reason).toBe('imported');
      const [row] = await sql(
        t.app,
        `SELECT f.battery_full_capacity_mah AS cap, f.battery_start_voltage_v AS v0, f.battery_end_voltage_v AS v1,
                (SELECT max(battery_full_capacity_mah) FROM telemetry WHERE flight_id = f.id) AS tel_cap,
                (SELECT max(battery_voltage_v) FROM telemetry WHERE flight_id = f.id) AS tel_vmax
         FROM flights f WHERE f.id = $1`,
        [r.flightId!],
      );
      expect(row!.cap).toBeGreaterThan(0);
      expect(row!.cap as number).toBeCloseTo(row!.tel_cap as number, 0);
      expect(row!.v0 as number).toBeGreaterThan(row!.v1 as number);
      expect(row!.v0 as number).toBeLessThanOrEqual((row!.tel_vmax as number) + 1e-3);
      const h = await get<BatteryHealthResponse>('/api/v1/equipment/batteries');
      expect(h.items.find((b) => b.serial === 'BDEMO')).toMatchObject({ healthMethod: 'capacity', healthPercent: 100 });
    });
  });

  describe('equipment', () => {
    it('renames, retires and annotates; retired items go last; a new serial can be registered', async () => {
      const put = (kind: string, serial: string, payload: unknown) =>
        t.app.inject({ method: 'PUT', url: `/api/v1/equipment/${kind}/${encodeURIComponent(serial)}`, payload: payload as object });
      const renamed = await put('battery', 'BX', { displayName: '  Blue #1 ', notes: 'bought 2023' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ kind: 'battery', serial: 'BX', name: 'Blue #1', displayName: 'Blue #1', notes: 'bought 2023', retired: false, flights: 3 });
      expect((await put('battery', 'BY', { retired: true })).json()).toMatchObject({ retired: true, name: 'BY' });
      expect((await put('battery', 'BX', { retired: false })).json()).toMatchObject({ displayName: 'Blue #1', notes: 'bought 2023' });
      const fresh = await put('battery', 'NEW-1', { displayName: 'Spare' });
      expect(fresh.json()).toMatchObject({ serial: 'NEW-1', flights: 0, firstUsedAt: null, name: 'Spare' });

      const list = await get<EquipmentListResponse>('/api/v1/equipment');
      const batteries = list.items.filter((i) => i.kind === 'battery').map((i) => i.serial);
      expect(list.items.find((i) => i.serial === 'AM')).toMatchObject({ kind: 'aircraft', name: 'Maint', flights: 8 });
      expect(list.items[0]!.kind).toBe('aircraft');
      expect(batteries.at(-1)).toBe('BY');
      expect(batteries).toContain('NEW-1');
      const health = await get<BatteryHealthResponse>('/api/v1/equipment/batteries');
      expect(health.items.at(-1)).toMatchObject({ serial: 'BY', retired: true });
      expect(health.items.find((b) => b.serial === 'BX')!.name).toBe('Blue #1');
    });

    it('rejects an empty, unknown-field or badly typed body, and a bad kind', async () => {
      const put = (url: string, payload: unknown) => t.app.inject({ method: 'PUT', url, payload: payload as object });
      expect((await put('/api/v1/equipment/battery/BX', {})).statusCode).toBe(400);
      const unknown = await put('/api/v1/equipment/battery/BX', { nickname: 'x' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().message).toMatch(/nickname/);
      expect((await put('/api/v1/equipment/battery/BX', { retired: 'yes' })).statusCode).toBe(400);
      expect((await put('/api/v1/equipment/drone/BX', { retired: true })).statusCode).toBe(400);
      expect((await put('/api/v1/equipment/battery/BX', { displayName: 'two\nlines' })).statusCode).toBe(400);
    });
  });

  describe('maintenance', () => {
    const item = (m: MaintenanceResponse, kind: string, serial: string): MaintenanceItem => m.items.find((i) => i.kind === kind && i.serial === serial)!;
    const daysSince = (iso: string) => Math.floor((Date.now() - Date.parse(iso)) / DAY_MS);

    it('counts flights, hours and days since the first flight against the default thresholds', async () => {
      const m = await get<MaintenanceResponse>('/api/v1/maintenance');
      expect(m.defaults.aircraft).toEqual({ flights: 100, hours: 50, days: 120 });
      const am = item(m, 'aircraft', 'AM');
      expect(am.lastService).toBeNull();
      expect(am.since).toMatchObject({ from: '2024-01-10T09:00:00.000Z', flights: 8, hours: 4 });
      expect(am.since.days).toBe(daysSince('2024-01-10T09:00:00Z'));
      expect(am.percent.flights).toBe(8);
      expect(am.percent.hours).toBe(8);
      expect(am.overdue).toBe(true); // 2024 is more than 120 days ago
      expect(am.dueReasons).toEqual(['days']);
      expect(am.thresholdSource).toEqual({ flights: 'default', hours: 'default', days: 'default' });
      // Retired BY is left out unless asked for.
      expect(m.items.some((i) => i.serial === 'BY')).toBe(false);
      expect(item(await get<MaintenanceResponse>('/api/v1/maintenance?includeRetired=true'), 'battery', 'BY')).toBeDefined();
    });

    it('uses per-item thresholds, and restarts the counters after a service record', async () => {
      const thr = await t.app.inject({ method: 'PUT', url: '/api/v1/maintenance/aircraft/AM/thresholds', payload: { flights: 4, hours: 2 } });
      expect(thr.statusCode, thr.body).toBe(200);
      const before = thr.json() as MaintenanceItem;
      expect(before.thresholds).toEqual({ flights: 4, hours: 2, days: 120 });
      expect(before.thresholdSource).toEqual({ flights: 'item', hours: 'item', days: 'default' });
      expect(before.percent).toMatchObject({ flights: 200, hours: 200 });
      expect(before.dueReasons).toEqual(['flights', 'hours', 'days']);

      // Serviced on 2024-02-25: flights on/after that day are 2024-02-29, 03-10, 03-20 → 3 flights, 1.5 h.
      const svc = await t.app.inject({ method: 'POST', url: '/api/v1/maintenance/aircraft/AM/services', payload: { date: '2024-02-25', note: 'props & motors' } });
      expect(svc.statusCode, svc.body).toBe(201);
      expect(svc.json()).toMatchObject({ kind: 'aircraft', serial: 'AM', performedAt: '2024-02-25T00:00:00.000Z', note: 'props & motors' });
      let am = item(await get<MaintenanceResponse>('/api/v1/maintenance?kind=aircraft'), 'aircraft', 'AM');
      expect(am.lastService?.performedAt).toBe('2024-02-25T00:00:00.000Z');
      expect(am.since).toMatchObject({ from: '2024-02-25T00:00:00.000Z', flights: 3, hours: 1.5 });
      expect(am.percent).toMatchObject({ flights: 75, hours: 75 });
      expect(am.dueReasons).toEqual(['days']);

      // Serviced now: everything back to zero, nothing due.
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/maintenance/aircraft/AM/services', payload: {} })).statusCode).toBe(201);
      am = item(await get<MaintenanceResponse>('/api/v1/maintenance'), 'aircraft', 'AM');
      expect(am.since).toMatchObject({ flights: 0, hours: 0, days: 0 });
      expect(am.percent).toEqual({ flights: 0, hours: 0, days: 0 });
      expect(am.overdue).toBe(false);
      expect(am.dueReasons).toEqual([]);

      const services = await get<{ items: Array<{ id: number; note: string | null }> }>('/api/v1/maintenance/aircraft/AM/services');
      expect(services.items.map((s) => s.note)).toEqual([null, 'props & motors']);
      // Deleting the latest record brings the 2024-02-25 counters back.
      const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/maintenance/services/${services.items[0]!.id}` });
      expect(del.statusCode).toBe(204);
      expect(item(await get<MaintenanceResponse>('/api/v1/maintenance'), 'aircraft', 'AM').since.flights).toBe(3);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/maintenance/services/${services.items[0]!.id}` })).statusCode).toBe(404);
    });

    it('changes the defaults of a kind (null = no limit) and validates input', async () => {
      const res = await t.app.inject({ method: 'PUT', url: '/api/v1/maintenance/defaults/battery', payload: { flights: 2, days: null } });
      expect(res.statusCode, res.body).toBe(200);
      const m = res.json() as MaintenanceResponse;
      expect(m.defaults.battery).toEqual({ flights: 2, hours: 50, days: null });
      const bx = item(m, 'battery', 'BX');
      expect(bx.percent).toMatchObject({ flights: 150, days: null });
      expect(bx.dueReasons).toEqual(['flights']);

      const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });
      expect((await post('/api/v1/maintenance/battery/NOPE/services', {})).statusCode).toBe(404);
      const future = await post('/api/v1/maintenance/battery/BX/services', { date: '2999-01-01' });
      expect(future.statusCode).toBe(400);
      expect(future.json().message).toMatch(/future/);
      expect((await post('/api/v1/maintenance/battery/BX/services', { date: 'yesterday' })).statusCode).toBe(400);
      expect((await post('/api/v1/maintenance/battery/BX/services', { when: '2024-01-01' })).statusCode).toBe(400);
      const zero = await t.app.inject({ method: 'PUT', url: '/api/v1/maintenance/battery/BX/thresholds', payload: { flights: 0 } });
      expect(zero.statusCode).toBe(400);
    });
  });
});
