import { BIGINT, DOUBLE, INTEGER, LIST, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../src/db/database.js';

/**
 * TEST-ONLY seeding: writes flights, telemetry, messages, tags and ledger rows straight into the
 * tables with SQL through db.transaction, so the read side can be tested without the parser and
 * importer. Column names are the table's own (snake_case).
 */

export type FlightColumns = Record<string, string | number | boolean | null> & { start_time: string };

export interface SeedTag {
  name: string;
  kind?: 'manual' | 'auto';
}

export interface SeedMessage {
  tMs: number;
  severity: 'tip' | 'warning' | 'caution';
  text: string;
}

/** Telemetry by column; every array has the length of `t_ms`. NaN and null are stored as given. */
export type TelemetryColumnsSeed = { t_ms: number[] } & Partial<Record<TelemetryNumberColumn, Array<number | null>>> & {
  cell_voltages?: Array<number[] | null>;
  flight_mode?: Array<string | null>;
  is_photo?: Array<boolean | null>;
  is_video?: Array<boolean | null>;
};

type TelemetryNumberColumn =
  | 'latitude' | 'longitude' | 'height_m' | 'vps_height_m' | 'altitude_m' | 'distance_from_home_m'
  | 'horizontal_speed_mps' | 'vertical_speed_mps' | 'velocity_north_mps' | 'velocity_east_mps' | 'velocity_down_mps'
  | 'pitch_deg' | 'roll_deg' | 'yaw_deg' | 'gimbal_pitch_deg' | 'gimbal_roll_deg' | 'gimbal_yaw_deg'
  | 'battery_percent' | 'battery_voltage_v' | 'battery_current_a' | 'battery_temperature_c'
  | 'battery_full_capacity_mah' | 'battery_remaining_capacity_mah' | 'satellites' | 'gps_level'
  | 'rc_aileron' | 'rc_elevator' | 'rc_throttle' | 'rc_rudder' | 'rc_uplink_percent' | 'rc_downlink_percent';

export interface SeedFlight {
  flight: FlightColumns;
  telemetry?: TelemetryColumnsSeed;
  messages?: SeedMessage[];
  tags?: SeedTag[];
}

const TIMESTAMP_COLUMNS = new Set(['start_time', 'end_time', 'imported_at', 'updated_at', 'created_at']);
const JSON_COLUMNS = new Set(['parse_warnings', 'header']);

function insertRow(table: string, row: Record<string, string | number | boolean | null>): { sql: string; values: DuckDBValue[] } {
  const cols = Object.keys(row);
  const placeholders = cols.map((c, i) => (TIMESTAMP_COLUMNS.has(c) ? `$${i + 1}::TIMESTAMPTZ` : JSON_COLUMNS.has(c) ? `$${i + 1}::JSON` : `$${i + 1}`));
  return { sql: `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id`, values: cols.map((c) => row[c] ?? null) };
}

function listOf(values: ReadonlyArray<DuckDBValue>): DuckDBValue {
  return listValue(values as DuckDBValue[]);
}

/** Inserts one flight with its telemetry, messages and tags in one transaction; returns the new id. */
export async function seedFlight(db: Database, seed: SeedFlight): Promise<number> {
  return db.transaction(async (conn) => {
    const { sql, values } = insertRow('flights', { source_format: 'dji-txt', ...seed.flight });
    const id = Number((await conn.runAndReadAll(sql, values)).getRowObjectsJS()[0]?.id);

    const tel = seed.telemetry;
    if (tel && tel.t_ms.length > 0) {
      const cols: string[] = ['flight_id', 't_ms'];
      const vals: DuckDBValue[] = [id, listOf(tel.t_ms)];
      const types: DuckDBType[] = [BIGINT, LIST(INTEGER)];
      for (const [col, arr] of Object.entries(tel)) {
        if (col === 't_ms' || !arr) continue;
        cols.push(col);
        if (col === 'cell_voltages') {
          vals.push(listOf((arr as Array<number[] | null>).map((v) => (v === null ? null : `[${v.join(',')}]`))));
          types.push(LIST(VARCHAR));
        } else if (col === 'flight_mode') {
          vals.push(listOf(arr as Array<string | null>));
          types.push(LIST(VARCHAR));
        } else if (col === 'is_photo' || col === 'is_video') {
          vals.push(listOf((arr as Array<boolean | null>).map((v) => (v === null ? null : v ? 1 : 0))));
          types.push(LIST(DOUBLE));
        } else {
          vals.push(listOf(arr as Array<number | null>));
          types.push(LIST(DOUBLE));
        }
      }
      // Booleans travel as 0/1 doubles and cell voltages as text: binding long BOOLEAN and nested
      // lists is several times slower in @duckdb/node-api than DOUBLE/VARCHAR lists.
      const cast = (c: string) => (c === 'is_photo' || c === 'is_video' ? '::BOOLEAN' : c === 'cell_voltages' ? '::FLOAT[]' : '');
      const select = cols.map((c, i) => (i === 0 ? `$1` : `unnest($${i + 1})${cast(c)}`));
      await conn.run(`INSERT INTO telemetry (${cols.join(', ')}) SELECT ${select.join(', ')}`, vals, types);
    }
    for (const m of seed.messages ?? []) {
      await conn.run('INSERT INTO flight_messages (flight_id, t_ms, severity, text) VALUES ($1, $2, $3, $4)', [id, m.tMs, m.severity, m.text]);
    }
    for (const t of seed.tags ?? []) {
      await conn.run('INSERT INTO flight_tags (flight_id, tag, kind) VALUES ($1, $2, $3)', [id, t.name, t.kind ?? 'manual']);
    }
    return id;
  });
}

/** A ledger row pointing at a flight, as the importer would leave it. */
export async function seedImport(db: Database, flightId: number, fileName: string): Promise<number> {
  return db.transaction(async (conn) => {
    const { sql, values } = insertRow('imports', {
      file_hash: `hash-${fileName}`,
      file_name: fileName,
      file_size: 1234,
      source: 'upload',
      status: 'imported',
      flight_id: flightId,
    });
    return Number((await conn.runAndReadAll(sql, values)).getRowObjectsJS()[0]?.id);
  });
}

/** Rows per table belonging to one flight (imports counted by flight_id too). */
export async function countRows(db: Database, flightId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [table, col] of [
    ['flights', 'id'],
    ['telemetry', 'flight_id'],
    ['flight_messages', 'flight_id'],
    ['flight_tags', 'flight_id'],
    ['imports', 'flight_id'],
  ] as const) {
    const r = await db.reader.runAndReadAll(`SELECT count(*) AS n FROM ${table} WHERE ${col} = $1`, [flightId]);
    out[table] = Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Synthetic telemetry
// ---------------------------------------------------------------------------------------------

export interface LongFlight {
  telemetry: TelemetryColumnsSeed;
  /** Row ranges [start, end) with special content, for assertions. */
  rows: {
    total: number;
    /** Height spike to SPIKE_HEIGHT for one second. */
    spike: [number, number];
    /** Height dips to DIP_HEIGHT for one second. */
    dip: [number, number];
    /** Height is NaN. */
    heightGap: [number, number];
    /** GPS is 0,0 (no fix yet). */
    noFix: [number, number];
    /** GPS is NaN (rejected). */
    gpsGap: [number, number];
    /** Yaw alternates 179 / −179 (hovering facing south). */
    yawStraddle: [number, number];
    /** Photos taken on these rows. */
    photos: number[];
  };
  /** Corners of the square flown (lon, lat). */
  corners: Array<[number, number]>;
}

export const SPIKE_HEIGHT = 500;
export const DIP_HEIGHT = -5;

/**
 * A 60-minute 10 Hz flight (36 000 rows): a 1.2 km square flown once (sharp corners), yaw sweeping
 * through ±180 all the time, a one-second height spike and dip, NaN gaps in height and GPS,
 * 0,0 GPS before the first fix, a stretch of yaw alternating 179/−179, photos and a Go-Home at the end.
 */
export function longFlight(): LongFlight {
  const hz = 10;
  const total = 3600 * hz;
  const rows: LongFlight['rows'] = {
    total,
    spike: [12_345, 12_355],
    dip: [25_000, 25_010],
    heightGap: [20_000, 20_050],
    noFix: [0, 20],
    gpsGap: [30_000, 30_100],
    yawStraddle: [10_000, 11_000],
    photos: [5_000, 5_500, 17_777, 33_333],
  };
  const lat0 = 47.0;
  const lon0 = 8.0;
  const side = 0.0108; // ≈ 1.2 km in latitude
  const k = Math.cos((lat0 * Math.PI) / 180);
  const corners: Array<[number, number]> = [
    [lon0, lat0],
    [lon0 + side / k, lat0],
    [lon0 + side / k, lat0 + side],
    [lon0, lat0 + side],
  ];
  const t_ms: number[] = [];
  const latitude: Array<number | null> = [];
  const longitude: Array<number | null> = [];
  const height: Array<number | null> = [];
  const yaw: Array<number | null> = [];
  const gimbalYaw: Array<number | null> = [];
  const battery: Array<number | null> = [];
  const speed: Array<number | null> = [];
  const cells: Array<number[] | null> = [];
  const mode: Array<string | null> = [];
  const photo: Array<boolean | null> = [];
  const video: Array<boolean | null> = [];
  const inRange = (i: number, r: [number, number]) => i >= r[0] && i < r[1];
  const photos = new Set(rows.photos);
  for (let i = 0; i < total; i++) {
    t_ms.push(i * (1000 / hz));
    // Square: four legs of equal duration, then the last point closes at the start.
    const f = (i / (total - 1)) * 4;
    const leg = Math.min(3, Math.floor(f));
    const u = f - leg;
    const a = corners[leg]!;
    const b = corners[(leg + 1) % 4]!;
    let lon: number | null = a[0] + (b[0] - a[0]) * u;
    let lat: number | null = a[1] + (b[1] - a[1]) * u;
    if (inRange(i, rows.noFix)) [lon, lat] = [0, 0];
    if (inRange(i, rows.gpsGap)) [lon, lat] = [Number.NaN, Number.NaN];
    longitude.push(lon);
    latitude.push(lat);
    // Height: climb to 100 m, cruise with a gentle wave, descend; spike, dip and a NaN gap.
    let h = Math.min(100, i / 30, (total - 1 - i) / 30) + 2 * Math.sin(i / 500);
    if (inRange(i, rows.spike)) h = SPIKE_HEIGHT;
    if (inRange(i, rows.dip)) h = DIP_HEIGHT;
    height.push(inRange(i, rows.heightGap) ? Number.NaN : h);
    // Yaw: rotating 0.5°/row through ±180, except the straddle stretch.
    let y = ((((i * 0.5 + 180) % 360) + 360) % 360) - 180;
    if (inRange(i, rows.yawStraddle)) y = i % 2 === 0 ? 179 : -179;
    yaw.push(y);
    gimbalYaw.push(y);
    battery.push(100 - (80 * i) / total);
    speed.push(5 + 3 * Math.sin(i / 100));
    const v = 4.2 - (0.8 * i) / total;
    cells.push([v, v - 0.01, v - 0.02, v - 0.03]);
    mode.push(i > total - 3000 ? 'GoHome' : 'GPS');
    photo.push(photos.has(i));
    video.push(i >= 7_000 && i < 9_000);
  }
  return {
    telemetry: {
      t_ms,
      latitude,
      longitude,
      height_m: height,
      yaw_deg: yaw,
      gimbal_yaw_deg: gimbalYaw,
      battery_percent: battery,
      horizontal_speed_mps: speed,
      cell_voltages: cells,
      flight_mode: mode,
      is_photo: photo,
      is_video: video,
    },
    rows,
    corners,
  };
}

/** A short flight (50 rows at 5 Hz) that is never downsampled. */
export function shortFlight(): TelemetryColumnsSeed {
  const n = 50;
  const t_ms = Array.from({ length: n }, (_, i) => i * 200);
  return {
    t_ms,
    latitude: t_ms.map((_, i) => 46.5 + i * 1e-5),
    longitude: t_ms.map((_, i) => 7.5 + i * 1e-5),
    height_m: t_ms.map((_, i) => (i === 10 ? null : i * 0.5)),
    yaw_deg: t_ms.map((_, i) => (i % 2 === 0 ? 179.5 : -179.5)),
    battery_percent: t_ms.map(() => 90),
    satellites: t_ms.map(() => 18),
    cell_voltages: t_ms.map((_, i) => (i === 0 ? null : [4.1, 4.1, 4.05, 4.1])),
    flight_mode: t_ms.map((_, i) => (i < 25 ? 'GPS' : null)),
    is_photo: t_ms.map((_, i) => i === 30),
    is_video: t_ms.map(() => false),
  };
}

// ---------------------------------------------------------------------------------------------
// A small logbook with known answers
// ---------------------------------------------------------------------------------------------

export interface Logbook {
  /** Ids by label, in the order of the table in seedLogbook. */
  ids: { f1: number; f2: number; f3: number; f4: number; f5: number; f6: number };
  long: LongFlight;
}

/**
 * | label | name                 | model      | aircraft | battery | start (UTC)          | dur s | dist m | max h | tags                  |
 * |-------|----------------------|------------|----------|---------|----------------------|-------|--------|-------|-----------------------|
 * | f1    | (default)            | Mini 4 Pro | AC1      | B1      | 2024-09-01 14:55     |  600  |  1000  |  100  | lake                  |
 * | f2    | Sunset over the lake | Mini 4 Pro | AC1      | B2      | 2024-09-01 23:30     |  900  |  2500  |  120  | night (auto), lake    |
 * | f3    | Mountain ridge       | Air 3      | AC2      | B3      | 2024-09-02 08:00     | 1200  |  5000  |  300  | mountains             |
 * | f4    | (default)            | Air 3      | AC2      | B3      | 2024-10-15 12:00     |  300  |  null  |  null | —                     |
 * | f5    | Beach                | Mini 3     | AC3      | B4      | 2023-12-31 23:59:59  |  450  |   800  |   60  | night (auto)          |
 * | f6    | Long survey          | Mavic 3    | AC4      | B5      | 2025-01-01 10:00     | 3600  | 12000  |  500  | survey; 36 000 rows   |
 * f2 notes "windy evening", f3 notes "Strong WIND at the top"; f5 has a short (50-row) telemetry.
 */
export async function seedLogbook(db: Database): Promise<Logbook> {
  const long = longFlight();
  const base = { updated_at: '2020-01-01T00:00:00Z', imported_at: '2020-01-01T00:00:00Z' };
  const f1 = await seedFlight(db, {
    flight: {
      ...base, name: null, aircraft_model: 'Mini 4 Pro', aircraft_name: 'Minnie', aircraft_serial: 'AC1', battery_serial: 'B1',
      start_time: '2024-09-01T14:55:00Z', end_time: '2024-09-01T15:05:00Z', duration_s: 600, distance_m: 1000, max_height_m: 100,
      file_name: 'DJIFlightRecord_2024-09-01_[14-55-00].txt', photo_count: 3, home_lat: 47.1, home_lon: 8.1,
      battery_start_percent: 98, battery_end_percent: 40, battery_cycles: 10,
    },
    tags: [{ name: 'lake' }],
  });
  const f2 = await seedFlight(db, {
    flight: {
      ...base, name: 'Sunset over the lake', notes: 'windy evening', aircraft_model: 'Mini 4 Pro', aircraft_name: 'Minnie',
      aircraft_serial: 'AC1', battery_serial: 'B2', start_time: '2024-09-01T23:30:00Z', duration_s: 900, distance_m: 2500,
      max_height_m: 120, color: '#ff8800',
    },
    tags: [{ name: 'night', kind: 'auto' }, { name: 'lake' }],
    messages: [
      { tMs: 5000, severity: 'warning', text: 'Strong wind. Fly with caution.' },
      { tMs: 1000, severity: 'tip', text: 'Aircraft connected.' },
    ],
  });
  const f3 = await seedFlight(db, {
    flight: {
      ...base, name: 'Mountain ridge', notes: 'Strong WIND at the top', aircraft_model: 'Air 3', aircraft_serial: 'AC2',
      battery_serial: 'B3', start_time: '2024-09-02T08:00:00Z', duration_s: 1200, distance_m: 5000, max_height_m: 300,
      battery_cycles: 42, parse_warnings: JSON.stringify([{ code: 'gps-jump', count: 3, message: '3 GPS jumps were removed.' }]),
    },
    tags: [{ name: 'mountains' }],
  });
  const f4 = await seedFlight(db, {
    flight: {
      ...base, name: null, aircraft_model: 'Air 3', aircraft_serial: 'AC2', battery_serial: 'B3', start_time: '2024-10-15T12:00:00Z',
      duration_s: 300, distance_m: null, max_height_m: null, battery_cycles: 43,
    },
  });
  const f5 = await seedFlight(db, {
    flight: {
      ...base, name: 'Beach', aircraft_model: 'Mini 3', aircraft_serial: 'AC3', battery_serial: 'B4', start_time: '2023-12-31T23:59:59Z',
      duration_s: 450, distance_m: 800, max_height_m: 60,
    },
    tags: [{ name: 'night', kind: 'auto' }],
    telemetry: shortFlight(),
  });
  const f6 = await seedFlight(db, {
    flight: {
      ...base, name: 'Long survey', aircraft_model: 'Mavic 3', aircraft_serial: 'AC4', battery_serial: 'B5', start_time: '2025-01-01T10:00:00Z',
      duration_s: 3600, distance_m: 12000, max_height_m: 500, frame_count: long.rows.total,
    },
    tags: [{ name: 'survey' }],
    messages: [{ tMs: 3_400_000, severity: 'caution', text: 'Returning to home.' }],
    telemetry: long.telemetry,
  });
  return { ids: { f1, f2, f3, f4, f5, f6 }, long };
}
