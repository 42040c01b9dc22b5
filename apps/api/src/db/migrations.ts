/**
 * Versioned schema migrations, applied in order inside one transaction each.
 * Kept as TypeScript strings (not .sql files) so the build output is self-contained.
 * Never edit a released migration: add a new one.
 *
 * Notes on the design:
 * - No foreign keys: DuckDB cannot cascade and FKs block deletes/updates; a flight and
 *   everything belonging to it are written and deleted together in one transaction by the repositories.
 * - telemetry has no index: rows of one flight are appended contiguously, so DuckDB's per-row-group
 *   min/max zone maps on flight_id already prune scans, and appends stay fast.
 * - Floats (4 bytes) for sensor values, doubles for lat/lon (float would lose ~1 m).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE SEQUENCE flight_id_seq START 1;
CREATE TABLE flights (
  id BIGINT PRIMARY KEY DEFAULT nextval('flight_id_seq'),
  file_hash VARCHAR UNIQUE,
  file_name VARCHAR,
  file_size BIGINT,
  source_format VARCHAR NOT NULL,
  log_version INTEGER,
  name VARCHAR,
  notes VARCHAR,
  color VARCHAR,
  aircraft_name VARCHAR,
  aircraft_model VARCHAR,
  product_type VARCHAR,
  aircraft_serial VARCHAR,
  battery_serial VARCHAR,
  camera_serial VARCHAR,
  rc_serial VARCHAR,
  start_time TIMESTAMPTZ NOT NULL,
  end_time TIMESTAMPTZ,
  duration_s DOUBLE,
  home_lat DOUBLE,
  home_lon DOUBLE,
  home_altitude_m DOUBLE,
  home_source VARCHAR,
  takeoff_lat DOUBLE,
  takeoff_lon DOUBLE,
  landing_lat DOUBLE,
  landing_lon DOUBLE,
  distance_m DOUBLE,
  max_height_m DOUBLE,
  max_altitude_m DOUBLE,
  max_horizontal_speed_mps DOUBLE,
  max_vertical_speed_mps DOUBLE,
  max_distance_from_home_m DOUBLE,
  photo_count INTEGER NOT NULL DEFAULT 0,
  video_count INTEGER NOT NULL DEFAULT 0,
  battery_start_percent DOUBLE,
  battery_end_percent DOUBLE,
  battery_cycles INTEGER,
  battery_min_temp_c DOUBLE,
  battery_max_temp_c DOUBLE,
  min_voltage_v DOUBLE,
  app VARCHAR,
  firmware VARCHAR,
  place VARCHAR,
  frame_count INTEGER NOT NULL DEFAULT 0,
  gps_frame_count INTEGER NOT NULL DEFAULT 0,
  parse_warnings JSON,
  imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX flights_start_time_idx ON flights (start_time);

CREATE TABLE telemetry (
  flight_id BIGINT NOT NULL,
  t_ms INTEGER NOT NULL,
  latitude DOUBLE,
  longitude DOUBLE,
  height_m FLOAT,
  vps_height_m FLOAT,
  altitude_m FLOAT,
  distance_from_home_m FLOAT,
  horizontal_speed_mps FLOAT,
  vertical_speed_mps FLOAT,
  velocity_north_mps FLOAT,
  velocity_east_mps FLOAT,
  velocity_down_mps FLOAT,
  pitch_deg FLOAT,
  roll_deg FLOAT,
  yaw_deg FLOAT,
  gimbal_pitch_deg FLOAT,
  gimbal_roll_deg FLOAT,
  gimbal_yaw_deg FLOAT,
  battery_percent FLOAT,
  battery_voltage_v FLOAT,
  battery_current_a FLOAT,
  battery_temperature_c FLOAT,
  battery_full_capacity_mah FLOAT,
  battery_remaining_capacity_mah FLOAT,
  cell_voltages FLOAT[],
  satellites FLOAT,
  gps_level FLOAT,
  rc_aileron FLOAT,
  rc_elevator FLOAT,
  rc_throttle FLOAT,
  rc_rudder FLOAT,
  rc_uplink_percent FLOAT,
  rc_downlink_percent FLOAT,
  flight_mode VARCHAR,
  is_photo BOOLEAN,
  is_video BOOLEAN
);

CREATE TABLE flight_messages (
  flight_id BIGINT NOT NULL,
  t_ms INTEGER NOT NULL,
  severity VARCHAR NOT NULL,
  text VARCHAR NOT NULL
);

CREATE TABLE flight_tags (
  flight_id BIGINT NOT NULL,
  tag VARCHAR NOT NULL,
  kind VARCHAR NOT NULL DEFAULT 'manual',
  PRIMARY KEY (flight_id, tag)
);

CREATE TABLE keychains (
  request_hash VARCHAR PRIMARY KEY,
  request JSON NOT NULL,
  keychains JSON NOT NULL,
  fetched_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ,
  use_count INTEGER NOT NULL DEFAULT 0
);

CREATE SEQUENCE import_id_seq START 1;
CREATE TABLE imports (
  id BIGINT PRIMARY KEY DEFAULT nextval('import_id_seq'),
  file_hash VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  file_size BIGINT NOT NULL,
  source VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  reason VARCHAR,
  flight_id BIGINT,
  original_path VARCHAR,
  header JSON,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX imports_file_hash_idx ON imports (file_hash);

CREATE TABLE settings (
  key VARCHAR PRIMARY KEY,
  value JSON NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: 'import ledger: reason code, retryable, attempts',
    // DuckDB 1.5 quirks: ADD COLUMN cannot carry NOT NULL; two ADD COLUMN … DEFAULT in one transaction fail to
    // commit when the table has rows; and an altered table cannot also be updated in the same transaction.
    // So: plain nullable columns; the repository writes them on every insert and reads NULL as false / 1.
    // `retryable` only matters for 'failed' rows (awaiting-key is always retryable).
    sql: `
ALTER TABLE imports ADD COLUMN reason_code VARCHAR;
ALTER TABLE imports ADD COLUMN retryable BOOLEAN;
ALTER TABLE imports ADD COLUMN attempts INTEGER;
`,
  },
  {
    version: 3,
    name: 'sync folder: runs, files seen, ignore list',
    // sync_files: one row per relative path, the latest (size, mtime) handled and its outcome. A file whose
    // (rel_path, file_size, mtime_ns) matches a row is not read again. import_id links the import ledger.
    // sync_ignore: hashes never imported again by the sync (their flight was deleted).
    // No index on sync_files.sha256: DuckDB cannot upsert (ON CONFLICT DO UPDATE) a column an index covers.
    sql: `
CREATE SEQUENCE sync_run_id_seq START 1;
CREATE TABLE sync_runs (
  id BIGINT PRIMARY KEY DEFAULT nextval('sync_run_id_seq'),
  trigger VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  files_seen INTEGER NOT NULL DEFAULT 0,
  files_unchanged INTEGER NOT NULL DEFAULT 0,
  files_new INTEGER NOT NULL DEFAULT 0,
  files_waiting INTEGER NOT NULL DEFAULT 0,
  files_imported INTEGER NOT NULL DEFAULT 0,
  files_duplicate INTEGER NOT NULL DEFAULT 0,
  files_awaiting_key INTEGER NOT NULL DEFAULT 0,
  files_failed INTEGER NOT NULL DEFAULT 0,
  files_ignored INTEGER NOT NULL DEFAULT 0,
  error VARCHAR
);

CREATE SEQUENCE sync_file_id_seq START 1;
CREATE TABLE sync_files (
  id BIGINT PRIMARY KEY DEFAULT nextval('sync_file_id_seq'),
  rel_path VARCHAR NOT NULL UNIQUE,
  file_size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  sha256 VARCHAR,
  status VARCHAR NOT NULL,
  reason_code VARCHAR,
  reason VARCHAR,
  import_id BIGINT,
  flight_id BIGINT,
  retryable BOOLEAN NOT NULL DEFAULT false,
  attempts INTEGER NOT NULL DEFAULT 1,
  run_id BIGINT,
  first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE sync_ignore_id_seq START 1;
CREATE TABLE sync_ignore (
  id BIGINT PRIMARY KEY DEFAULT nextval('sync_ignore_id_seq'),
  sha256 VARCHAR NOT NULL UNIQUE,
  rel_path VARCHAR,
  flight_id BIGINT,
  reason VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 4,
    name: 'analytics: per-flight battery aggregates, equipment, maintenance, audit log',
    // Per-flight battery values computed at import (flight-aggregates.ts) so dashboards, battery health and the summary
    // export never scan telemetry: the highest full-charge capacity reported, and the first/last pack voltage and
    // temperature (take-off / landing). Backfilled for existing flights by migration 5 (DuckDB cannot update a table
    // altered in the same transaction).
    // equipment: one row per (kind, serial) the pilot named, retired or annotated. maintenance_defaults: thresholds per
    // kind; maintenance_thresholds: per-item overrides (NULL = use the default). service_records: counters restart at
    // performed_at. audit_log: every manual create / edit / delete of a flight; kept after the flight is deleted.
    sql: `
ALTER TABLE flights ADD COLUMN battery_full_capacity_mah DOUBLE;
ALTER TABLE flights ADD COLUMN battery_start_voltage_v DOUBLE;
ALTER TABLE flights ADD COLUMN battery_end_voltage_v DOUBLE;
ALTER TABLE flights ADD COLUMN battery_start_temp_c DOUBLE;
ALTER TABLE flights ADD COLUMN battery_end_temp_c DOUBLE;

CREATE TABLE equipment (
  kind VARCHAR NOT NULL,
  serial VARCHAR NOT NULL,
  display_name VARCHAR,
  retired BOOLEAN NOT NULL DEFAULT false,
  notes VARCHAR,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, serial)
);

CREATE TABLE maintenance_defaults (
  kind VARCHAR PRIMARY KEY,
  max_flights INTEGER,
  max_hours DOUBLE,
  max_days INTEGER,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO maintenance_defaults (kind, max_flights, max_hours, max_days) VALUES ('aircraft', 100, 50, 120), ('battery', 100, 50, 120);

CREATE TABLE maintenance_thresholds (
  kind VARCHAR NOT NULL,
  serial VARCHAR NOT NULL,
  max_flights INTEGER,
  max_hours DOUBLE,
  max_days INTEGER,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, serial)
);

CREATE SEQUENCE service_record_id_seq START 1;
CREATE TABLE service_records (
  id BIGINT PRIMARY KEY DEFAULT nextval('service_record_id_seq'),
  kind VARCHAR NOT NULL,
  serial VARCHAR NOT NULL,
  performed_at TIMESTAMPTZ NOT NULL,
  note VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE SEQUENCE audit_log_id_seq START 1;
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
  flight_id BIGINT NOT NULL,
  action VARCHAR NOT NULL,
  field VARCHAR,
  old_value VARCHAR,
  new_value VARCHAR,
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor VARCHAR
);
`,
  },
  {
    version: 5,
    name: 'analytics: backfill per-flight battery aggregates from telemetry',
    // Same definitions as flight-aggregates.ts: capacity = highest positive finite value; start/end voltage = first/last
    // positive finite voltage; start/end temperature = first/last finite temperature on a row with such a voltage.
    // FLOAT → VARCHAR → DOUBLE keeps the value as recorded (15.9, not 15.899999618530273).
    sql: `
UPDATE flights SET
  battery_full_capacity_mah = a.capacity,
  battery_start_voltage_v = a.v_start,
  battery_end_voltage_v = a.v_end,
  battery_start_temp_c = a.temp_start,
  battery_end_temp_c = a.temp_end
FROM (
  SELECT flight_id,
    max(battery_full_capacity_mah) FILTER (WHERE isfinite(battery_full_capacity_mah) AND battery_full_capacity_mah > 0)::VARCHAR::DOUBLE AS capacity,
    arg_min(battery_voltage_v, t_ms) FILTER (WHERE isfinite(battery_voltage_v) AND battery_voltage_v > 0)::VARCHAR::DOUBLE AS v_start,
    arg_max(battery_voltage_v, t_ms) FILTER (WHERE isfinite(battery_voltage_v) AND battery_voltage_v > 0)::VARCHAR::DOUBLE AS v_end,
    arg_min(battery_temperature_c, t_ms) FILTER (WHERE isfinite(battery_voltage_v) AND battery_voltage_v > 0 AND isfinite(battery_temperature_c))::VARCHAR::DOUBLE AS temp_start,
    arg_max(battery_temperature_c, t_ms) FILTER (WHERE isfinite(battery_voltage_v) AND battery_voltage_v > 0 AND isfinite(battery_temperature_c))::VARCHAR::DOUBLE AS temp_end
  FROM telemetry
  GROUP BY flight_id
) a
WHERE flights.id = a.flight_id;
`,
  },
  {
    version: 6,
    name: 'local take-off time: time zone and wall clock',
    // The IANA zone of the home / take-off point (offline lookup in @dronelog/flightlog) and the wall-clock time at
    // take-off there (TIMESTAMP without zone), filled at import, so analytics and the report group by local day and
    // hour in SQL. Flights imported before this migration are filled when the server starts (smart-tag service).
    sql: `
ALTER TABLE flights ADD COLUMN local_time_zone VARCHAR;
ALTER TABLE flights ADD COLUMN local_start_time TIMESTAMP;
`,
  },
  {
    version: 7,
    name: 'battery design capacity; Manual Entry becomes an automatic tag',
    // battery_design_capacity_mah: what the smart battery reports as its nominal capacity (DJI SmartBatteryStatic
    // records, read at import with battery_cycles), so battery health can compare the full-charge capacity with it.
    // Flights imported earlier keep NULL (and NULL cycles) until re-imported: the values are not in telemetry.
    // "Manual Entry" is set by the system on manual flights, so it is an auto tag (regenerate recomputes it).
    sql: `
ALTER TABLE flights ADD COLUMN battery_design_capacity_mah DOUBLE;
UPDATE flight_tags SET kind = 'auto'
WHERE tag = 'Manual Entry' AND flight_id IN (SELECT id FROM flights WHERE source_format = 'manual');
`,
  },
  {
    version: 9,
    name: 'telemetry envelope: per-flight min/max buckets for unzoomed charts',
    // The whole-flight chart data precomputed at a fixed fine resolution (TelemetryRepository, ENVELOPE_BUCKETS
    // equal time buckets over [first, last] of the flight): per bucket its row count and first/last time, and per
    // telemetry column either min/max with their times (envelope series) or the values at the first/last row
    // (sampled series: positions, headings, cell voltages, flight mode), stored as the API sends them (4-byte floats
    // at their shortest decimal, which keeps their order). Bucket -1 is the flight's marker row (its
    // row count and first/last time); short flights have the marker only. Filled in the background after a
    // flight's first unzoomed chart request (every flight alike: imported, Open DroneLog, restored from an older
    // backup). Deleted with the flight; a flight-owned table for backup merge (flight_id).
    sql: `
CREATE TABLE telemetry_envelope (
  flight_id BIGINT NOT NULL,
  bucket INTEGER NOT NULL,
  n INTEGER NOT NULL,
  t_first INTEGER,
  t_last INTEGER,
  latitude_first DOUBLE, latitude_last DOUBLE,
  longitude_first DOUBLE, longitude_last DOUBLE,
  height_m_min DOUBLE, height_m_max DOUBLE, height_m_tmin INTEGER, height_m_tmax INTEGER,
  vps_height_m_min DOUBLE, vps_height_m_max DOUBLE, vps_height_m_tmin INTEGER, vps_height_m_tmax INTEGER,
  altitude_m_min DOUBLE, altitude_m_max DOUBLE, altitude_m_tmin INTEGER, altitude_m_tmax INTEGER,
  distance_from_home_m_min DOUBLE, distance_from_home_m_max DOUBLE, distance_from_home_m_tmin INTEGER, distance_from_home_m_tmax INTEGER,
  horizontal_speed_mps_min DOUBLE, horizontal_speed_mps_max DOUBLE, horizontal_speed_mps_tmin INTEGER, horizontal_speed_mps_tmax INTEGER,
  vertical_speed_mps_min DOUBLE, vertical_speed_mps_max DOUBLE, vertical_speed_mps_tmin INTEGER, vertical_speed_mps_tmax INTEGER,
  velocity_north_mps_min DOUBLE, velocity_north_mps_max DOUBLE, velocity_north_mps_tmin INTEGER, velocity_north_mps_tmax INTEGER,
  velocity_east_mps_min DOUBLE, velocity_east_mps_max DOUBLE, velocity_east_mps_tmin INTEGER, velocity_east_mps_tmax INTEGER,
  velocity_down_mps_min DOUBLE, velocity_down_mps_max DOUBLE, velocity_down_mps_tmin INTEGER, velocity_down_mps_tmax INTEGER,
  pitch_deg_min DOUBLE, pitch_deg_max DOUBLE, pitch_deg_tmin INTEGER, pitch_deg_tmax INTEGER,
  roll_deg_min DOUBLE, roll_deg_max DOUBLE, roll_deg_tmin INTEGER, roll_deg_tmax INTEGER,
  yaw_deg_first DOUBLE, yaw_deg_last DOUBLE,
  gimbal_pitch_deg_min DOUBLE, gimbal_pitch_deg_max DOUBLE, gimbal_pitch_deg_tmin INTEGER, gimbal_pitch_deg_tmax INTEGER,
  gimbal_roll_deg_min DOUBLE, gimbal_roll_deg_max DOUBLE, gimbal_roll_deg_tmin INTEGER, gimbal_roll_deg_tmax INTEGER,
  gimbal_yaw_deg_first DOUBLE, gimbal_yaw_deg_last DOUBLE,
  battery_percent_min DOUBLE, battery_percent_max DOUBLE, battery_percent_tmin INTEGER, battery_percent_tmax INTEGER,
  battery_voltage_v_min DOUBLE, battery_voltage_v_max DOUBLE, battery_voltage_v_tmin INTEGER, battery_voltage_v_tmax INTEGER,
  battery_current_a_min DOUBLE, battery_current_a_max DOUBLE, battery_current_a_tmin INTEGER, battery_current_a_tmax INTEGER,
  battery_temperature_c_min DOUBLE, battery_temperature_c_max DOUBLE, battery_temperature_c_tmin INTEGER, battery_temperature_c_tmax INTEGER,
  battery_full_capacity_mah_min DOUBLE, battery_full_capacity_mah_max DOUBLE, battery_full_capacity_mah_tmin INTEGER, battery_full_capacity_mah_tmax INTEGER,
  battery_remaining_capacity_mah_min DOUBLE, battery_remaining_capacity_mah_max DOUBLE, battery_remaining_capacity_mah_tmin INTEGER, battery_remaining_capacity_mah_tmax INTEGER,
  satellites_min DOUBLE, satellites_max DOUBLE, satellites_tmin INTEGER, satellites_tmax INTEGER,
  gps_level_min DOUBLE, gps_level_max DOUBLE, gps_level_tmin INTEGER, gps_level_tmax INTEGER,
  rc_aileron_min DOUBLE, rc_aileron_max DOUBLE, rc_aileron_tmin INTEGER, rc_aileron_tmax INTEGER,
  rc_elevator_min DOUBLE, rc_elevator_max DOUBLE, rc_elevator_tmin INTEGER, rc_elevator_tmax INTEGER,
  rc_throttle_min DOUBLE, rc_throttle_max DOUBLE, rc_throttle_tmin INTEGER, rc_throttle_tmax INTEGER,
  rc_rudder_min DOUBLE, rc_rudder_max DOUBLE, rc_rudder_tmin INTEGER, rc_rudder_tmax INTEGER,
  rc_uplink_percent_min DOUBLE, rc_uplink_percent_max DOUBLE, rc_uplink_percent_tmin INTEGER, rc_uplink_percent_tmax INTEGER,
  rc_downlink_percent_min DOUBLE, rc_downlink_percent_max DOUBLE, rc_downlink_percent_tmin INTEGER, rc_downlink_percent_tmax INTEGER,
  cell_voltages_first DOUBLE[], cell_voltages_last DOUBLE[],
  flight_mode_first VARCHAR, flight_mode_last VARCHAR,
  is_photo_min DOUBLE, is_photo_max DOUBLE, is_photo_tmin INTEGER, is_photo_tmax INTEGER,
  is_video_min DOUBLE, is_video_max DOUBLE, is_video_tmin INTEGER, is_video_tmax INTEGER
);
`,
  },
];
