import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TELEMETRY_FIELDS,
  FlightPatchBody,
  FlightSortField,
  TELEMETRY_FIELDS,
  TELEMETRY_NUMERIC_FIELDS,
  TELEMETRY_POINTS_DEFAULT,
  TELEMETRY_POINTS_MAX,
  TELEMETRY_SAMPLED_FIELDS,
  TRACK_POINTS_DEFAULT,
  TRACK_POINTS_MAX,
  TelemetryQuery,
} from '../src/index.js';

describe('flight contracts', () => {
  it('lists every telemetry field once, defaults and sampled fields among them', () => {
    expect(new Set(TELEMETRY_FIELDS).size).toBe(TELEMETRY_FIELDS.length);
    expect(TELEMETRY_FIELDS).toHaveLength(TELEMETRY_NUMERIC_FIELDS.length + 4);
    for (const f of [...DEFAULT_TELEMETRY_FIELDS, ...TELEMETRY_SAMPLED_FIELDS]) expect(TELEMETRY_FIELDS).toContain(f);
  });

  it('keeps headings and positions sampled, never enveloped', () => {
    for (const f of ['latitude', 'longitude', 'yawDeg', 'gimbalYawDeg'] as const) expect(TELEMETRY_SAMPLED_FIELDS).toContain(f);
    expect(TELEMETRY_SAMPLED_FIELDS).not.toContain('heightM');
  });

  it('documents the point limits in the query schema', () => {
    const points = TelemetryQuery.properties.points;
    expect(points.default).toBe(TELEMETRY_POINTS_DEFAULT);
    expect(points.maximum).toBe(TELEMETRY_POINTS_MAX);
    expect(TRACK_POINTS_DEFAULT).toBeLessThanOrEqual(TRACK_POINTS_MAX);
  });

  it('spells enums as string enums for OpenAPI', () => {
    expect(FlightSortField).toMatchObject({ type: 'string', enum: ['startTime', 'duration', 'distance', 'maxHeight', 'name'] });
  });

  it('accepts partial patches and rejects bad colours, unknown fields and empty bodies', () => {
    expect(Value.Check(FlightPatchBody, { name: 'x' })).toBe(true);
    expect(Value.Check(FlightPatchBody, { name: null, color: null, tags: [] })).toBe(true);
    expect(Value.Check(FlightPatchBody, { color: '#1e90ff' })).toBe(true);
    expect(Value.Check(FlightPatchBody, { color: 'red' })).toBe(false);
    expect(Value.Check(FlightPatchBody, { colour: '#1e90ff' })).toBe(false);
    expect(Value.Check(FlightPatchBody, {})).toBe(false);
    expect(Value.Check(FlightPatchBody, { tags: ['x'.repeat(41)] })).toBe(false);
  });
});
