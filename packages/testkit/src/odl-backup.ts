import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Synthetic Open DroneLog backups (`.db.backup`): ODL's eight backed-up tables exactly as
 * shared/docs/open-dronelog.md §2 describes them (version 3.3.0), filled from a small spec, written to ZSTD
 * parquet and packed as a gzip'd tar with the files at the top level (`flights.parquet`, `telemetry.parquet`, …),
 * which is how ODL's backup export lays them out.
 *
 * This package does not depend on DuckDB: the caller passes `run`, which executes one SQL statement on a DuckDB
 * connection of its own (a throw-away in-memory database is enough). The tar writer is a minimal ustar one, so tests
 * can also build hostile archives (`../` names, links, sizes that lie) that a careful tar library would refuse.
 */

export const ODL_TABLES = [
  'flights',
  'telemetry',
  'keychains',
  'flight_tags',
  'flight_messages',
  'equipment_names',
  'flight_customizations',
  'settings',
] as const;
export type OdlTable = (typeof ODL_TABLES)[number];

/** ODL 3.3.0's tables (migrated columns at the end, where ALTER TABLE puts them). */
export const ODL_SCHEMA_SQL: Readonly<Record<OdlTable, string>> = {
  flights: `CREATE TABLE flights (
    id BIGINT PRIMARY KEY, file_name VARCHAR NOT NULL, display_name VARCHAR NOT NULL, file_hash VARCHAR UNIQUE,
    drone_model VARCHAR, drone_serial VARCHAR, aircraft_name VARCHAR, battery_serial VARCHAR,
    start_time TIMESTAMP WITH TIME ZONE, end_time TIMESTAMP WITH TIME ZONE, duration_secs DOUBLE,
    total_distance DOUBLE, max_altitude DOUBLE, max_speed DOUBLE, home_lat DOUBLE, home_lon DOUBLE,
    point_count INTEGER, photo_count INTEGER, video_count INTEGER, cycle_count INTEGER,
    imported_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP, notes VARCHAR, color VARCHAR DEFAULT '#7dd3fc',
    rc_serial VARCHAR, battery_life INTEGER)`,
  telemetry: `CREATE TABLE telemetry (
    flight_id BIGINT NOT NULL, timestamp_ms BIGINT NOT NULL,
    latitude DOUBLE, longitude DOUBLE, altitude FLOAT, height FLOAT, vps_height FLOAT, altitude_abs FLOAT,
    speed FLOAT, velocity_x FLOAT, velocity_y FLOAT, velocity_z FLOAT,
    pitch FLOAT, roll FLOAT, yaw FLOAT, gimbal_pitch FLOAT, gimbal_roll FLOAT, gimbal_yaw FLOAT,
    battery_percent INTEGER, battery_voltage FLOAT, battery_current FLOAT, battery_temp FLOAT, cell_voltages VARCHAR,
    battery_full_capacity FLOAT, battery_remained_capacity FLOAT,
    flight_mode VARCHAR, gps_signal INTEGER, satellites INTEGER,
    rc_signal INTEGER, rc_uplink INTEGER, rc_downlink INTEGER,
    rc_aileron FLOAT, rc_elevator FLOAT, rc_throttle FLOAT, rc_rudder FLOAT,
    is_photo BOOLEAN, is_video BOOLEAN)`,
  keychains: `CREATE TABLE keychains (
    file_hash VARCHAR PRIMARY KEY, encryption_key VARCHAR NOT NULL, fetched_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)`,
  flight_tags: `CREATE TABLE flight_tags (
    flight_id BIGINT NOT NULL, tag VARCHAR NOT NULL, tag_type VARCHAR NOT NULL DEFAULT 'auto', PRIMARY KEY (flight_id, tag))`,
  flight_messages: `CREATE TABLE flight_messages (
    flight_id BIGINT NOT NULL, timestamp_ms BIGINT NOT NULL, message_type VARCHAR NOT NULL, message VARCHAR NOT NULL,
    PRIMARY KEY (flight_id, timestamp_ms, message_type, message))`,
  equipment_names: `CREATE TABLE equipment_names (
    serial VARCHAR NOT NULL, equipment_type VARCHAR NOT NULL, display_name VARCHAR NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (serial, equipment_type))`,
  flight_customizations: `CREATE TABLE flight_customizations (
    file_hash VARCHAR PRIMARY KEY, display_name VARCHAR, notes VARCHAR, color VARCHAR, manual_tags VARCHAR,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)`,
  settings: `CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)`,
};

/** ODL's default colour label (a flight "without" a colour). */
export const ODL_DEFAULT_COLOR = '#7dd3fc';

/** A synthetic track: out and back on a circle around home, generated in SQL from `range(points)`. */
export interface OdlTrackSpec {
  /** Telemetry rows; ODL's timeline is uniform: row i is at i × intervalMs. */
  points: number;
  intervalMs: number;
  /** Largest distance from home, reached half-way, m. */
  radiusM: number;
  /** Largest height above take-off, reached half-way, m. */
  maxHeightM: number;
  batteryStartPercent: number;
  batteryEndPercent: number;
  /** Full-charge capacity reported on every row, mAh. */
  capacityMah: number;
  /** Rows that are ODL placeholders (everything NULL but the keys), as ODL writes for corrupt/missing frames. */
  placeholderRows: number[];
  /** Rows with is_photo / is_video true (ODL stores rising edges). */
  photoRows: number[];
  videoRows: number[];
  /** No GPS at all: latitude/longitude NULL on every row. */
  noGps?: boolean;
}

export interface OdlFlightSpec {
  /** ODL's id: milliseconds since the epoch at import, mod 1e12. */
  id: number;
  fileName: string;
  displayName: string;
  /** SHA-256 of the original file; null for manual entries. */
  fileHash: string | null;
  droneModel: string | null;
  droneSerial: string | null;
  aircraftName: string | null;
  batterySerial: string | null;
  rcSerial: string | null;
  /** UTC ISO-8601. */
  startTime: string;
  durationS: number;
  totalDistanceM: number | null;
  maxAltitudeM: number | null;
  maxSpeedMps: number | null;
  home: { lat: number; lon: number } | null;
  photoCount: number;
  videoCount: number;
  cycleCount: number | null;
  batteryLife: number | null;
  notes: string | null;
  color: string;
  importedAt: string;
  track: OdlTrackSpec | null;
  tags: Array<{ tag: string; type: 'auto' | 'manual' }>;
  messages: Array<{ timestampMs: number; type: 'tip' | 'warn' | 'caution'; message: string }>;
}

export interface OdlBackupSpec {
  flights: OdlFlightSpec[];
  /** 3.3.0's keychain cache: file hash → the keychain JSON DJI returned. */
  keychains: Array<{ fileHash: string; keychains: unknown; fetchedAt: string }>;
  equipmentNames: Array<{ serial: string; type: 'battery' | 'aircraft'; displayName: string }>;
  customizations: Array<{ fileHash: string; displayName: string | null; notes: string | null; color: string | null; manualTags: string[] | null }>;
  settings: Array<{ key: string; value: string }>;
}

/** The end time ODL stores: start + duration. */
export function odlEndTime(f: Pick<OdlFlightSpec, 'startTime' | 'durationS'>): string {
  return new Date(Date.parse(f.startTime) + f.durationS * 1000).toISOString();
}

function hexOf(label: string): string {
  // 64 hex characters derived from a label (a stand-in for a file's SHA-256).
  let h = '';
  for (let i = 0; h.length < 64; i++) {
    let x = 0x811c9dc5;
    for (const ch of `${label}#${i}`) x = Math.imul(x ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    h += x.toString(16).padStart(8, '0');
  }
  return h.slice(0, 64);
}

/** A base64 string of `bytes` bytes derived from a label (keychain stand-ins). */
function b64(label: string, bytes: number): string {
  return Buffer.from(hexOf(label), 'hex').subarray(0, bytes).toString('base64');
}

/**
 * A small but complete backup: two logged flights with telemetry (one renamed, with notes, colour, manual and auto
 * tags and messages; one whose name, colour and manual tags only live in flight_customizations), one manual entry
 * without telemetry or hash, a cached keychain, equipment names (one battery marked retired with ODL's "[X]"), an
 * orphan customization and ODL's own settings rows.
 */
export function syntheticOdlBackup(): OdlBackupSpec {
  const hashA = hexOf('odl-flight-a');
  const hashB = hexOf('odl-flight-b');
  const flights: OdlFlightSpec[] = [
    {
      id: 717_171_717_171,
      fileName: 'DJIFlightRecord_2024-06-01_[09-30-00].txt',
      displayName: 'Sunset over the lake',
      fileHash: hashA,
      droneModel: 'DJI Mini 4 Pro',
      droneSerial: '1581F6Z9C23A0001',
      aircraftName: 'Wendy',
      batterySerial: '3QLPK8M00A0001',
      rcSerial: '5YSZK1E00R0001',
      startTime: '2024-06-01T09:30:00.000Z',
      durationS: 60,
      totalDistanceM: 1256.4,
      maxAltitudeM: 60,
      maxSpeedMps: 8,
      home: { lat: 47.3769, lon: 8.5417 },
      photoCount: 2,
      videoCount: 1,
      cycleCount: 42,
      batteryLife: 96,
      notes: 'Windy at the top.',
      color: '#ef4444',
      importedAt: '2024-06-02T10:00:00.000Z',
      track: {
        points: 601,
        intervalMs: 100,
        radiusM: 200,
        maxHeightM: 60,
        batteryStartPercent: 95,
        batteryEndPercent: 55,
        capacityMah: 2590,
        placeholderRows: [0, 300],
        photoRows: [150, 450],
        videoRows: [200],
      },
      tags: [
        { tag: 'High Speed', type: 'auto' },
        { tag: 'Switzerland', type: 'auto' },
        { tag: 'Europe', type: 'auto' },
        { tag: 'client-a', type: 'manual' },
      ],
      messages: [
        { timestampMs: 1000, type: 'tip', message: 'Aircraft taking off.' },
        { timestampMs: 30_000, type: 'warn', message: 'Strong wind. Fly with caution.' },
        { timestampMs: 55_000, type: 'caution', message: 'Low battery. Return to home.' },
      ],
    },
    {
      id: 717_272_727_272,
      fileName: 'DJIFlightRecord_2024-07-14_[18-05-10].txt',
      displayName: 'DJIFlightRecord_2024-07-14_[18-05-10]',
      fileHash: hashB,
      droneModel: 'DJI Mavic 3',
      droneSerial: '1581F4QWB22B0002',
      aircraftName: 'Big one',
      batterySerial: '4ERPL6K00B0002',
      rcSerial: null,
      startTime: '2024-07-14T18:05:10.000Z',
      durationS: 120,
      totalDistanceM: 2410,
      maxAltitudeM: 110,
      maxSpeedMps: 14.5,
      home: { lat: 51.5007, lon: -0.1246 },
      photoCount: 0,
      videoCount: 0,
      cycleCount: 7,
      batteryLife: 100,
      notes: null,
      color: ODL_DEFAULT_COLOR,
      importedAt: '2024-07-15T08:00:00.000Z',
      track: {
        points: 241,
        intervalMs: 500,
        radiusM: 450,
        maxHeightM: 110,
        batteryStartPercent: 100,
        batteryEndPercent: 30,
        capacityMah: 5000,
        placeholderRows: [],
        photoRows: [],
        videoRows: [],
      },
      tags: [
        { tag: 'United Kingdom', type: 'auto' },
        { tag: 'Europe', type: 'auto' },
      ],
      messages: [{ timestampMs: 60_000, type: 'tip', message: 'Return-to-home altitude set to 120 m.' }],
    },
    {
      id: 717_373_737_373,
      fileName: 'manual_entry_717373737373.log',
      displayName: 'Training at the club field',
      fileHash: null,
      droneModel: 'Manual Entry (My Avata)',
      droneSerial: 'AVATA0001',
      aircraftName: 'My Avata',
      batterySerial: 'AVBAT0001',
      rcSerial: null,
      startTime: '2024-08-20T16:00:00.000Z',
      durationS: 600,
      totalDistanceM: 3000,
      maxAltitudeM: 40,
      maxSpeedMps: null,
      home: { lat: 48.8584, lon: 2.2945 },
      photoCount: 0,
      videoCount: 0,
      cycleCount: null,
      batteryLife: null,
      notes: 'Logged by hand.',
      color: '#22c55e',
      importedAt: '2024-08-21T07:00:00.000Z',
      track: null,
      tags: [
        { tag: 'Manual Entry', type: 'auto' },
        { tag: 'training', type: 'manual' },
      ],
      messages: [],
    },
  ];
  return {
    flights,
    keychains: [
      {
        fileHash: hashA,
        keychains: [[{ featurePoint: 'FR_Standardization_Feature_Base_1', aesKey: b64('key-a', 32), aesIv: b64('iv-a', 16) }]],
        fetchedAt: '2024-06-02T10:00:00.000Z',
      },
    ],
    equipmentNames: [
      { serial: '1581F6Z9C23A0001', type: 'aircraft', displayName: 'Wendy the Mini' },
      { serial: '4ERPL6K00B0002', type: 'battery', displayName: 'Old pack [X]' },
    ],
    customizations: [
      { fileHash: hashA, displayName: 'Sunset over the lake', notes: 'Windy at the top.', color: '#ef4444', manualTags: ['client-a'] },
      { fileHash: hashB, displayName: 'Harbour survey', notes: 'Tide was low.', color: '#3b82f6', manualTags: ['survey', 'harbour'] },
      // A flight deleted in ODL: its customization outlives it.
      { fileHash: hexOf('odl-deleted-flight'), displayName: 'Gone', notes: null, color: null, manualTags: ['lost'] },
    ],
    settings: [
      { key: 'duplicate_checked', value: 'true' },
      { key: 'telemetry_float_migrated', value: 'true' },
      { key: 'filter_presets', value: '[]' },
    ],
  };
}

function lit(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
    return String(v);
  }
  return `'${v.replaceAll("'", "''")}'`;
}

function ts(iso: string | null): string {
  return iso === null ? 'NULL' : `${lit(iso)}::TIMESTAMPTZ`;
}

function inList(rows: number[]): string {
  return rows.length ? `i IN (${rows.join(', ')})` : 'false';
}

/** INSERT … SELECT FROM range(): a track, as SQL expressions of i (row) and p (0…1). */
function telemetrySql(f: OdlFlightSpec): string | null {
  const t = f.track;
  if (!t) return null;
  if (t.points < 2) throw new RangeError('a track needs at least 2 points');
  const lat0 = f.home?.lat ?? 0;
  const lon0 = f.home?.lon ?? 0;
  const durationS = ((t.points - 1) * t.intervalMs) / 1000;
  const r = `(${t.radiusM} * sin(pi() * p))`;
  const a = `(2 * pi() * p)`;
  const h = `(${t.maxHeightM} * sin(pi() * p))`;
  const speed = `(2 + 6 * sin(pi() * p))`;
  const pct = `round(${t.batteryStartPercent} - (${t.batteryStartPercent - t.batteryEndPercent}) * p)`;
  const volt = `(17.0 - 2.0 * p)`;
  const cell = `round(${volt} / 4, 3)::VARCHAR`;
  const cols: Array<[string, string]> = [
    ['latitude', t.noGps ? 'NULL' : `${lat0} + ${r} * cos(${a}) / 111320.0`],
    ['longitude', t.noGps ? 'NULL' : `${lon0} + ${r} * sin(${a}) / (111320.0 * cos(radians(${lat0})))`],
    ['altitude', `${h} + 100`],
    ['height', h],
    ['vps_height', `least(${h}, 30)`],
    ['altitude_abs', 'NULL'],
    ['speed', speed],
    ['velocity_x', `${speed} * cos(${a})`],
    ['velocity_y', `${speed} * sin(${a})`],
    ['velocity_z', `-(${t.maxHeightM} * pi() / ${durationS}) * cos(pi() * p)`],
    ['pitch', '-5 * sin(pi() * p)'],
    ['roll', '2 * sin(2 * pi() * p)'],
    ['yaw', `degrees(atan2(sin(${a}), cos(${a})))`],
    ['gimbal_pitch', '-30'],
    ['gimbal_roll', '0'],
    ['gimbal_yaw', `degrees(atan2(sin(${a}), cos(${a})))`],
    ['battery_percent', pct],
    ['battery_voltage', volt],
    ['battery_current', '-8.5'],
    ['battery_temp', '(18 + 12 * p)'],
    ['cell_voltages', `'[' || ${cell} || ',' || ${cell} || ',' || ${cell} || ',' || ${cell} || ']'`],
    ['battery_full_capacity', String(t.capacityMah)],
    ['battery_remained_capacity', `${t.capacityMah} * ${pct} / 100`],
    ['flight_mode', `CASE WHEN p < 0.05 THEN 'AutoTakeoff' WHEN p > 0.95 THEN 'AutoLanding' ELSE 'GPSAtti' END`],
    ['gps_signal', t.noGps ? '0' : '5'],
    ['satellites', t.noGps ? '0' : '18'],
    ['rc_signal', '100'],
    ['rc_uplink', '100'],
    ['rc_downlink', '95'],
    ['rc_aileron', '10 * sin(2 * pi() * p)'],
    ['rc_elevator', '50 * sin(pi() * p)'],
    ['rc_throttle', '20 * cos(pi() * p)'],
    ['rc_rudder', '0'],
    ['is_photo', inList(t.photoRows)],
    ['is_video', inList(t.videoRows)],
  ];
  const placeholder = inList(t.placeholderRows);
  return `INSERT INTO telemetry (flight_id, timestamp_ms, ${cols.map((c) => c[0]).join(', ')})
    SELECT ${f.id}, i * ${t.intervalMs}, ${cols.map(([, e]) => `CASE WHEN ${placeholder} THEN NULL ELSE ${e} END`).join(', ')}
    FROM (SELECT i, i / ${t.points - 1}.0 AS p FROM range(${t.points}) r(i)) s`;
}

/** The statements that create ODL's tables and fill them with `spec`. */
export function odlBackupSql(spec: OdlBackupSpec): string[] {
  const out: string[] = ODL_TABLES.map((t) => ODL_SCHEMA_SQL[t]);
  for (const f of spec.flights) {
    out.push(`INSERT INTO flights (id, file_name, display_name, file_hash, drone_model, drone_serial, aircraft_name, battery_serial,
        start_time, end_time, duration_secs, total_distance, max_altitude, max_speed, home_lat, home_lon, point_count, photo_count,
        video_count, cycle_count, imported_at, notes, color, rc_serial, battery_life)
      VALUES (${[
        lit(f.id), lit(f.fileName), lit(f.displayName), lit(f.fileHash), lit(f.droneModel), lit(f.droneSerial), lit(f.aircraftName),
        lit(f.batterySerial), ts(f.startTime), ts(odlEndTime(f)), lit(f.durationS), lit(f.totalDistanceM), lit(f.maxAltitudeM),
        lit(f.maxSpeedMps), lit(f.home?.lat), lit(f.home?.lon), lit(f.track?.points ?? 0), lit(f.photoCount), lit(f.videoCount),
        lit(f.cycleCount), ts(f.importedAt), lit(f.notes), lit(f.color), lit(f.rcSerial), lit(f.batteryLife),
      ].join(', ')})`);
    const tel = telemetrySql(f);
    if (tel) out.push(tel);
    for (const t of f.tags) out.push(`INSERT INTO flight_tags VALUES (${lit(f.id)}, ${lit(t.tag)}, ${lit(t.type)})`);
    for (const m of f.messages) out.push(`INSERT INTO flight_messages VALUES (${lit(f.id)}, ${lit(m.timestampMs)}, ${lit(m.type)}, ${lit(m.message)})`);
  }
  for (const k of spec.keychains) {
    out.push(`INSERT INTO keychains VALUES (${lit(k.fileHash)}, ${lit(JSON.stringify(k.keychains))}, ${ts(k.fetchedAt)})`);
  }
  for (const e of spec.equipmentNames) {
    out.push(`INSERT INTO equipment_names VALUES (${lit(e.serial)}, ${lit(e.type)}, ${lit(e.displayName)}, now())`);
  }
  for (const c of spec.customizations) {
    out.push(
      `INSERT INTO flight_customizations VALUES (${lit(c.fileHash)}, ${lit(c.displayName)}, ${lit(c.notes)}, ${lit(c.color)}, ${lit(
        c.manualTags === null ? null : JSON.stringify(c.manualTags),
      )}, now())`,
    );
  }
  for (const s of spec.settings) out.push(`INSERT INTO settings VALUES (${lit(s.key)}, ${lit(s.value)}, now())`);
  return out;
}

/** Runs one SQL statement on the caller's DuckDB connection. */
export type SqlRun = (sql: string) => Promise<unknown>;

/** Creates ODL's tables in the caller's (empty) DuckDB database and fills them from `spec`. */
export async function createOdlTables(run: SqlRun, spec: OdlBackupSpec): Promise<void> {
  for (const sql of odlBackupSql(spec)) await run(sql);
}

/** COPY each table to `<dir>/<table>.parquet` the way ODL does (FORMAT PARQUET, COMPRESSION ZSTD). */
export async function exportOdlParquet(run: SqlRun, dir: string, tables: readonly string[] = ODL_TABLES): Promise<Array<{ table: string; file: string }>> {
  const out: Array<{ table: string; file: string }> = [];
  for (const table of tables) {
    const file = path.join(dir, `${table}.parquet`);
    await run(`COPY ${table} TO ${lit(file)} (FORMAT PARQUET, COMPRESSION ZSTD)`);
    out.push({ table, file });
  }
  return out;
}

export interface OdlBackupOptions {
  /** Tables to put into the archive (default: all eight), e.g. to leave one out. */
  tables?: readonly string[];
  /** Further tar entries appended after the parquet files (hostile names, foreign files, …). */
  extraEntries?: TarEntry[];
}

/**
 * The whole `.db.backup` as bytes: tables created and filled with `run` (use a fresh in-memory DuckDB), exported
 * to `<workDir>/<table>.parquet`, packed flat into a gzip'd tar.
 */
export async function buildOdlBackup(run: SqlRun, workDir: string, spec: OdlBackupSpec = syntheticOdlBackup(), opts: OdlBackupOptions = {}): Promise<Buffer> {
  await createOdlTables(run, spec);
  const files = await exportOdlParquet(run, workDir, opts.tables ?? ODL_TABLES);
  const entries: TarEntry[] = [];
  for (const f of files) entries.push({ name: `${f.table}.parquet`, data: await readFile(f.file) });
  return tarGz([...entries, ...(opts.extraEntries ?? [])]);
}

/** Writes a backup to a file named like ODL's (`<name>.db.backup`) and returns its path. */
export async function writeOdlBackupFile(bytes: Uint8Array, dir: string, name = 'open-dronelog'): Promise<string> {
  const file = path.join(dir, `${name}.db.backup`);
  await writeFile(file, bytes);
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal ustar writer

export interface TarEntry {
  name: string;
  data?: Uint8Array;
  /** Default 'file'. */
  type?: 'file' | 'directory' | 'symlink' | 'hardlink';
  linkName?: string;
  /** The size written into the header when it should lie about the data that follows. */
  declaredSize?: number;
}

const TYPE_FLAG = { file: '0', hardlink: '1', symlink: '2', directory: '5' } as const;

function field(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new RangeError(`tar field too long: ${value}`);
  bytes.copy(buf, offset);
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(e: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  let name = e.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new RangeError(`tar name too long: ${name}`);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  field(h, 0, 100, name);
  field(h, 100, 8, octal(e.type === 'directory' ? 0o755 : 0o644, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(size, 12));
  field(h, 136, 12, octal(Math.floor(Date.UTC(2024, 0, 1) / 1000), 12));
  field(h, 148, 8, '        ');
  field(h, 156, 1, TYPE_FLAG[e.type ?? 'file']);
  field(h, 157, 100, e.linkName ?? '');
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  field(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  field(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** A ustar archive of `entries` (names written as given, nothing checked). */
export function tar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? new Uint8Array());
    parts.push(header(e, e.declaredSize ?? data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** `tar(entries)`, gzip-compressed: a `.db.backup` / `.tar.gz`. */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}
