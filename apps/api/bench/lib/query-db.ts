/**
 * The query benchmark's logbook: N flights with ≈ 3 300 telemetry rows each on average (10 000 flights ≈ 33 M rows)
 * plus one 60-minute flight, written straight into the app's own schema with DuckDB SQL (INSERT … SELECT over
 * range()), which takes about a minute instead of hours of imports.
 *
 * The schema comes from the app itself: the server is started once on an empty DATA_DIR (its migrations run), stopped,
 * and the tables of the `main` schema (the default profile's) are filled here. The result is cached under
 * paths.cacheDir, keyed by the migrations (version + hash of their SQL) and GENERATOR_VERSION, so later runs only copy it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { paths } from './paths.js';
import { ApiServer } from './server.js';

/** Bump when the generated data changes shape (invalidates cached databases). */
const GENERATOR_VERSION = 2;
/**
 * Flights per INSERT of telemetry. Rows of one flight stay contiguous, as the importer's Appender writes them. The
 * unnest that generates them runs on one thread per statement, so LANES statements run at once on their own connections
 * (appends of different transactions never conflict).
 */
const FLIGHTS_PER_BATCH = 250;
const LANES = 2;

export interface QueryDb {
  file: string;
  flights: number;
  telemetryRows: number;
  /** Id of the 60-minute flight (36 000 rows). */
  longFlightId: number;
  /** An aircraft serial and a date range for the filtered list. */
  filter: { aircraft: string; from: string; to: string };
  buildMs: number | null;
  cached: boolean;
}

interface Meta extends Omit<QueryDb, 'file' | 'cached'> {
  key: string;
}

/** Cache key: the app's migrations (as the built server runs them) and this generator. */
export async function schemaKey(): Promise<{ key: string; version: number }> {
  const mod = (await import(pathToFileURL(paths.migrationsJs).href)) as { migrations: Array<{ version: number; sql: string }> };
  const version = Math.max(...mod.migrations.map((m) => m.version));
  const hash = createHash('sha256')
    .update(mod.migrations.map((m) => `${m.version}\n${m.sql}`).join('\n'))
    .digest('hex')
    .slice(0, 10);
  return { key: `schema${version}-${hash}-gen${GENERATOR_VERSION}`, version };
}

const AIRCRAFT = [
  ['1581F6Z9C23CP003', 'Mini 4 Pro', 'DJI Mini 4 Pro', 'Mini4Pro'],
  ['1581F4XFA234HML8', 'Mini 3 Pro', 'DJI Mini 3 Pro', 'Mini3Pro'],
  ['3NZCJ270048FFC', 'Mini 2', 'Minnie', 'Mini2'],
  ['1WKDH3C00A01TZ', 'Mavic Air 2', 'Air 2', 'MavicAir2'],
  ['0M6DG1400189PP', 'Mavic 2 Pro', 'Red Cat', 'Mavic2'],
  ['1581F5FHD238N00K', 'Mavic 3', 'Survey M3', 'Mavic3'],
] as const;

/** Take-off areas: lat, lon, ground altitude, zone, fixed UTC offset in hours (DST ignored: it is a benchmark). */
const PLACES = [
  [46.50531, 6.62744, 373, 'Europe/Zurich', 1, 'Lausanne'],
  [37.80392, -122.46481, 3, 'America/Los_Angeles', -8, 'San Francisco'],
  [38.78936, -9.49613, 62, 'Europe/Lisbon', 0, 'Sintra'],
  [39.99902, -105.28166, 1752, 'America/Denver', -7, 'Boulder'],
  [44.58932, -1.21402, 28, 'Europe/Paris', 1, 'La Teste-de-Buch'],
] as const;

const list = (values: readonly (string | number)[]) => `[${values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')}]`;
const col = (k: number, rows: readonly (readonly (string | number)[])[]) => list(rows.map((r) => r[k]!));

/** u(i, k): a deterministic pseudo-random DOUBLE in [0, 1) per flight and purpose k. */
const U = (k: number) => `((hash(i, ${k}) % 1000003)::DOUBLE / 1000003)`;

function flightsSql(n: number, longIndex: number): string {
  const a = `(1 + (hash(i, 1) % ${AIRCRAFT.length}))::INTEGER`;
  const p = `(1 + (hash(i, 2) % ${PLACES.length}))::INTEGER`;
  // Columns of the inner SELECT may use the aliases before them (DuckDB lateral column aliases).
  return `
INSERT INTO main.flights (
  file_hash, file_name, file_size, source_format, log_version, name, notes, color,
  aircraft_name, aircraft_model, product_type, aircraft_serial, battery_serial, camera_serial, rc_serial,
  start_time, end_time, duration_s, home_lat, home_lon, home_altitude_m, home_source,
  takeoff_lat, takeoff_lon, landing_lat, landing_lon, distance_m, max_height_m, max_altitude_m,
  max_horizontal_speed_mps, max_vertical_speed_mps, max_distance_from_home_m, photo_count, video_count,
  battery_start_percent, battery_end_percent, battery_cycles, battery_min_temp_c, battery_max_temp_c, min_voltage_v,
  app, firmware, place, frame_count, gps_frame_count, parse_warnings,
  battery_full_capacity_mah, battery_start_voltage_v, battery_end_voltage_v, battery_start_temp_c, battery_end_temp_c,
  local_time_zone, local_start_time)
SELECT
  sha256('bench-flight-' || i), 'DJIFlightRecord_' || strftime(make_timestamp(epoch_us(st)), '%Y-%m-%d_[%H-%M-%S]') || '.txt',
  d * 2425, 'dji-txt', 12,
  CASE WHEN i % 17 = 0 THEN 'Survey ' || i END, CASE WHEN i % 23 = 0 THEN 'Windy; battery ' || (i % 4) || ' felt weak' END,
  CASE WHEN i % 29 = 0 THEN '#1e90ff' END,
  ${col(2, AIRCRAFT)}[ai], ${col(1, AIRCRAFT)}[ai], ${col(3, AIRCRAFT)}[ai], ${col(0, AIRCRAFT)}[ai],
  'BAT' || ai || '-' || (hash(i, 3) % 4), 'CAM' || ai, 'RC' || ai,
  st, st + to_milliseconds((d * 1000)::BIGINT), d,
  lat0, lon0, ${col(2, PLACES)}[pl], 'recorded',
  lat0, lon0, lat0 + 0.00001, lon0 + 0.00001,
  d * (2 + ${U(4)} * 8) * 0.6, h, ${col(2, PLACES)}[pl] + h,
  4 + ${U(5)} * 12, 1.5 + ${U(6)} * 3, r,
  (hash(i, 7) % 25)::INTEGER, (hash(i, 8) % 3)::INTEGER,
  b0, b0 - d / 40, (10 + i / 50)::INTEGER, 18 + ${U(9)} * 10, 30 + ${U(10)} * 15, 3.3 + ${U(11)} * 0.3,
  'DJIFly 1.13.10', NULL, ${col(5, PLACES)}[pl], (d * 10)::INTEGER, (d * 10)::INTEGER, '[]',
  3850, 17.4, 17.4 - d / 900, 22, 22 + d / 60,
  ${col(3, PLACES)}[pl], make_timestamp(epoch_us(st)) + to_hours(${col(4, PLACES)}[pl])
FROM (
  SELECT i, ${a} AS ai, ${p} AS pl,
    TIMESTAMPTZ '2019-01-01 05:00:00+00' + to_seconds(i * 20000 + (hash(i, 12) % 7200)::BIGINT) AS st,
    CASE WHEN i = ${longIndex} THEN 3600.0 ELSE round(60 + ${U(13)} * 540) END AS d,
    20 + ${U(14)} * 100 AS h,
    50 + ${U(15)} * 800 AS r,
    80 + ${U(16)} * 20 AS b0,
    ${col(0, PLACES)}[pl] + (${U(17)} - 0.5) * 0.02 AS lat0,
    ${col(1, PLACES)}[pl] + (${U(18)} - 0.5) * 0.02 AS lon0
  FROM range(${n}) t(i)
)
ORDER BY i`;
}

/** Telemetry of flights with ids in [lo, hi]: 10 Hz, a loop out and back, take-off and landing phases. */
function telemetrySql(lo: number, hi: number): string {
  const f = (e: string) => `(${e})::FLOAT`;
  return `
INSERT INTO main.telemetry
SELECT flight_id, t_ms, latitude, longitude, height_m, vps_height_m, altitude_m, distance_from_home_m,
  horizontal_speed_mps, vertical_speed_mps, velocity_north_mps, velocity_east_mps, velocity_down_mps,
  pitch_deg, roll_deg, yaw_deg, gimbal_pitch_deg, gimbal_roll_deg, gimbal_yaw_deg,
  battery_percent, battery_voltage_v, battery_current_a, battery_temperature_c, battery_full_capacity_mah,
  battery_remaining_capacity_mah, cell_voltages, satellites, gps_level, rc_aileron, rc_elevator, rc_throttle, rc_rudder,
  rc_uplink_percent, rc_downlink_percent, flight_mode, is_photo, is_video
FROM (
  SELECT id AS flight_id, (k * 100)::INTEGER AS t_ms,
    home_lat + r * sin(2 * pi() * q) * sin(pi() * q) / 111320 AS latitude,
    home_lon + r * (1 - cos(2 * pi() * q)) * sin(pi() * q) / 2 / (111320 * cos(radians(home_lat))) AS longitude,
    ${f('CASE WHEN q < 0.03 THEN h * q / 0.03 WHEN q > 0.97 THEN h * (1 - q) / 0.03 ELSE h * (0.92 + 0.08 * sin(k / 50.0)) END')} AS height_m,
    ${f('CASE WHEN q < 0.03 OR q > 0.97 THEN least(h * 0.2, 12) END')} AS vps_height_m,
    ${f('home_altitude_m + h * (0.92 + 0.08 * sin(k / 50.0))')} AS altitude_m,
    ${f('r * sin(pi() * q)')} AS distance_from_home_m,
    ${f('v * (0.75 + 0.25 * sin(k / 30.0))')} AS horizontal_speed_mps,
    ${f('0.8 * sin(k / 40.0)')} AS vertical_speed_mps,
    ${f('v * cos(k / 90.0)')} AS velocity_north_mps,
    ${f('v * sin(k / 90.0)')} AS velocity_east_mps,
    ${f('-0.8 * sin(k / 40.0)')} AS velocity_down_mps,
    ${f('-8 * sin(k / 30.0)')} AS pitch_deg,
    ${f('5 * sin(k / 45.0)')} AS roll_deg,
    ${f('((k * 0.9) % 360) - 180')} AS yaw_deg,
    ${f('-30 + 10 * sin(k / 200.0)')} AS gimbal_pitch_deg,
    ${f('0')} AS gimbal_roll_deg,
    ${f('((k * 0.9) % 360) - 180')} AS gimbal_yaw_deg,
    ${f('b0 - (b0 - b1) * q')} AS battery_percent,
    ${f('17.4 - 2.2 * q - 0.1 * sin(k / 25.0)')} AS battery_voltage_v,
    ${f('9 + 3 * sin(k / 70.0)')} AS battery_current_a,
    ${f('22 + 18 * q')} AS battery_temperature_c,
    ${f('3850')} AS battery_full_capacity_mah,
    ${f('3850 * (b0 - (b0 - b1) * q) / 100')} AS battery_remaining_capacity_mah,
    [${f('4.35 - 0.55 * q')}, ${f('4.34 - 0.55 * q')}, ${f('4.35 - 0.56 * q')}, ${f('4.33 - 0.55 * q')}] AS cell_voltages,
    ${f('16 + k % 5')} AS satellites,
    ${f('5')} AS gps_level,
    ${f('0.3 * sin(k / 60.0)')} AS rc_aileron,
    ${f('0.5 * cos(k / 80.0)')} AS rc_elevator,
    ${f('0.1 * sin(k / 20.0)')} AS rc_throttle,
    ${f('0.2 * sin(k / 35.0)')} AS rc_rudder,
    ${f('100 - 20 * sin(pi() * q)')} AS rc_uplink_percent,
    ${f('100 - 25 * sin(pi() * q)')} AS rc_downlink_percent,
    CASE WHEN q < 0.03 THEN 'AutoTakeoff' WHEN q > 0.97 THEN 'AutoLanding' WHEN q > 0.85 THEN 'GoHome' ELSE 'GPS' END AS flight_mode,
    k % 600 = 300 AS is_photo,
    q BETWEEN 0.3 AND 0.5 AS is_video
  FROM (SELECT *, k::DOUBLE / greatest(n - 1, 1) AS q FROM (
    SELECT f.id, f.home_lat, f.home_lon, f.home_altitude_m, f.max_height_m AS h, f.max_distance_from_home_m AS r,
      f.max_horizontal_speed_mps * 0.7 AS v, f.battery_start_percent AS b0, f.battery_end_percent AS b1,
      f.frame_count AS n, unnest(range(f.frame_count)) AS k
    FROM main.flights f WHERE f.id BETWEEN ${lo} AND ${hi}
  ))
)`;
}

function otherTablesSql(): string {
  return `
INSERT INTO main.flight_tags (flight_id, tag, kind)
  SELECT id, tag, 'auto' FROM (
    SELECT id, CASE hash(id, 20) % 4 WHEN 0 THEN 'night' WHEN 1 THEN 'long flight' WHEN 2 THEN 'high altitude' ELSE 'video' END AS tag FROM main.flights
    UNION SELECT id, 'photos' FROM main.flights WHERE photo_count > 10);
INSERT INTO main.flight_tags (flight_id, tag, kind) SELECT id, 'client-' || (id % 7), 'manual' FROM main.flights WHERE id % 5 = 0;
INSERT INTO main.flight_messages (flight_id, t_ms, severity, text)
  SELECT id, 15000, 'tip', 'Home Point recorded. RTH altitude: 60 m.' FROM main.flights
  UNION ALL SELECT id, (duration_s * 500)::INTEGER, 'warning', 'Strong wind. Fly with caution.' FROM main.flights WHERE id % 3 = 0;
INSERT INTO main.imports (file_hash, file_name, file_size, source, status, flight_id, reason_code, retryable, attempts)
  SELECT file_hash, file_name, file_size, 'upload', 'imported', id, NULL, false, 1 FROM main.flights;`;
}

async function fill(file: string, flights: number, log: (m: string) => void): Promise<Omit<Meta, 'key' | 'buildMs'>> {
  const instance = await DuckDBInstance.create(file, { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'true' });
  const conn = await instance.connect();
  const lanes = await Promise.all(Array.from({ length: LANES }, () => instance.connect()));
  try {
    const longIndex = Math.floor(flights / 2);
    await conn.run('BEGIN');
    await conn.run(flightsSql(flights, longIndex));
    await conn.run('COMMIT');
    const ids = (await conn.runAndReadAll('SELECT min(id) AS lo, max(id) AS hi FROM main.flights')).getRowObjectsJS()[0]!;
    const lo = Number(ids.lo);
    const hi = Number(ids.hi);
    const batches: Array<[number, number]> = [];
    for (let b = lo; b <= hi; b += FLIGHTS_PER_BATCH) batches.push([b, Math.min(hi, b + FLIGHTS_PER_BATCH - 1)]);
    const t = performance.now();
    let done = 0;
    let next = 0;
    await Promise.all(
      lanes.map(async (lane) => {
        while (next < batches.length) {
          const [a, b] = batches[next++]!;
          await lane.run(telemetrySql(a, b));
          if (++done % 8 === 0 || done === batches.length) {
            log(`  telemetry: ${done}/${batches.length} batches of ${FLIGHTS_PER_BATCH} flights, ${((performance.now() - t) / 1000).toFixed(0)} s`);
          }
        }
      }),
    );
    await conn.run(otherTablesSql());
    await conn.run('CHECKPOINT');
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS()[0]!;
    const rows = Number((await q('SELECT count(*) AS n FROM main.telemetry')).n);
    const longId = Number((await q(`SELECT id FROM main.flights WHERE duration_s = 3600 ORDER BY id LIMIT 1`)).id);
    const aircraft = String((await q(`SELECT aircraft_serial AS s FROM main.flights GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)).s);
    // The middle half of the logbook's time span (≈ 3 years of 6 with 10 000 flights).
    const span = await q(`SELECT strftime(quantile_disc(start_time, 0.25), '%Y-%m-%d') AS a, strftime(quantile_disc(start_time, 0.75), '%Y-%m-%d') AS b FROM main.flights`);
    return { flights, telemetryRows: rows, longFlightId: longId, filter: { aircraft, from: String(span.a), to: String(span.b) } };
  } finally {
    for (const lane of lanes) lane.closeSync();
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * The cached database for `flights` flights (built when missing). `log` reports progress.
 * The returned file must be copied before a server opens it (the server writes to its database).
 */
export async function queryDatabase(flights: number, scratch: string, maxOldSpaceMb: number, log: (m: string) => void): Promise<QueryDb> {
  const { key } = await schemaKey();
  const dir = paths.cacheDir;
  const file = path.join(dir, `query-${flights}-${key}.duckdb`);
  const metaFile = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Meta;
    return { ...meta, file, cached: true };
  }
  const started = performance.now();
  log(`building the query database (${flights} flights) — cached afterwards in ${dir}`);
  const dataDir = path.join(scratch, 'query-schema');
  // The app creates its own schema: start it once on an empty DATA_DIR, then stop it.
  const server = await ApiServer.start({ dataDir, maxOldSpaceMb });
  await server.stop();
  const dbFile = path.join(dataDir, 'dronelog.duckdb');
  const meta = await fill(dbFile, flights, log);
  const buildMs = performance.now() - started;
  await fsp.mkdir(dir, { recursive: true });
  // Old generations of this cache are useless: remove them so the cache never grows past one database per size.
  for (const old of fs.readdirSync(dir)) {
    if (old.startsWith(`query-${flights}-`) && !old.startsWith(path.basename(file))) fs.rmSync(path.join(dir, old), { force: true });
  }
  await fsp.copyFile(dbFile, `${file}.tmp`);
  await fsp.rename(`${file}.tmp`, file);
  const full: Meta = { ...meta, key, buildMs };
  fs.writeFileSync(metaFile, JSON.stringify(full, null, 2));
  await fsp.rm(dataDir, { recursive: true, force: true });
  return { ...full, file, cached: false };
}
