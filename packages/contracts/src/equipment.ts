import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './common.js';

/**
 * Equipment (aircraft and batteries by serial): display names, retirement, notes; battery health; maintenance
 * thresholds and service records. Everything is stored in DuckDB (so it is in backups), not in the browser.
 */

export const EQUIPMENT_KINDS = ['aircraft', 'battery'] as const;
export const EquipmentKind = StringEnum(EQUIPMENT_KINDS);
export type EquipmentKind = Static<typeof EquipmentKind>;

/**
 * `kind` in a path, as a union of literals: routes with a strict body validator compile their params with TypeBox's
 * TypeCompiler, which does not know StringEnum's unsafe schema.
 */
const KindParam = Type.Union([Type.Literal('aircraft'), Type.Literal('battery')], { description: 'aircraft or battery' });

export const EquipmentParams = Type.Object({
  kind: KindParam,
  serial: Type.String({ minLength: 1, maxLength: 200, description: 'Serial number as recorded in the logs.' }),
});
export type EquipmentParams = Static<typeof EquipmentParams>;

export const EquipmentItem = Type.Object({
  kind: EquipmentKind,
  serial: Type.String(),
  name: Type.String({ description: 'displayName, else the latest name given in the app (aircraft), else the serial.' }),
  displayName: Nullable(Type.String({ description: 'Name set in Dronelog; null when none.' })),
  model: Nullable(Type.String({ description: 'Aircraft model (for a battery: of the aircraft it flew in most recently).' })),
  retired: Type.Boolean(),
  notes: Nullable(Type.String()),
  flights: Type.Integer(),
  durationS: Type.Number(),
  firstUsedAt: Nullable(Type.String({ format: 'date-time' })),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type EquipmentItem = Static<typeof EquipmentItem>;

export const EquipmentListResponse = Type.Object({
  items: Type.Array(EquipmentItem, { description: 'Aircraft first, then batteries; in use before retired; most recently used first.' }),
});
export type EquipmentListResponse = Static<typeof EquipmentListResponse>;

export const EquipmentPutBody = Type.Object(
  {
    displayName: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Up to 100 characters, one line; null or "" clears.' }))),
    retired: Type.Optional(Type.Boolean({ description: 'Retired equipment is listed last and left out of maintenance.' })),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Up to 2000 characters; null or "" clears.' }))),
  },
  { minProperties: 1, additionalProperties: false, description: 'Send only the fields to change (at least one).' },
);
export type EquipmentPutBody = Static<typeof EquipmentPutBody>;

// ---------------------------------------------------------------------------------------------
// Battery health
// ---------------------------------------------------------------------------------------------

/** Cycles treated as the end of a battery's life by the cycle-based estimate (as Open DroneLog). */
export const BATTERY_END_OF_LIFE_CYCLES = 400;

export const HEALTH_FORMULA =
  'design-capacity: 100 × latest full-charge capacity ÷ the design capacity the battery reports (both from its logs: ' +
  'flights.battery_full_capacity_mah, the highest full-charge capacity reported during a flight, and ' +
  'flights.battery_design_capacity_mah), capped to 0–100 — used when both are known. ' +
  'capacity: 100 × latest full-charge capacity ÷ first full-charge capacity seen, capped to 0–100 — used when no design ' +
  'capacity is known. ' +
  `cycles: max(0, 100 − cycles ÷ ${BATTERY_END_OF_LIFE_CYCLES} × 100) with the cycle count of the latest flight that logged one — ` +
  'used when no capacity is known. ' +
  'flights: the same with the number of flights instead of cycles, when neither is known. Bands: > 70 good, > 40 fair, else poor.';

export const HealthMethod = StringEnum(['design-capacity', 'capacity', 'cycles', 'flights'], {
  description: 'Which estimate `healthPercent` is (see `formula`).',
});
export type HealthMethod = Static<typeof HealthMethod>;

export const CyclesSource = StringEnum(['log', 'flights'], {
  description: "'log': `cycles` is the battery's own charge-cycle count; 'flights': none of its logs has one, so `cycles` is its number of flights.",
});
export type CyclesSource = Static<typeof CyclesSource>;

export const CapacityPoint = Type.Tuple([Type.Integer(), Type.String({ format: 'date-time' }), Type.Number()], {
  description: '[flight id, flight start time, full-charge capacity in mAh]',
});
export type CapacityPoint = Static<typeof CapacityPoint>;

export const BatteryHealth = Type.Object({
  serial: Type.String(),
  name: Type.String(),
  retired: Type.Boolean(),
  aircraftModel: Nullable(Type.String({ description: 'Model of the aircraft it flew in most recently.' })),
  flights: Type.Integer(),
  durationS: Type.Number(),
  firstUsedAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.String({ format: 'date-time' }),
  cycles: Type.Integer({
    description: 'Charge cycles the battery reported in its latest flight that logged them; its number of flights when no log has them (see cyclesSource).',
  }),
  cyclesSource: CyclesSource,
  designCapacityMah: Nullable(Type.Number({ description: 'Design capacity the battery reports (latest flight that logged one), mAh.' })),
  firstCapacityMah: Nullable(Type.Number({ description: 'Full-charge capacity on the first flight that recorded one.' })),
  latestCapacityMah: Nullable(Type.Number({ description: 'Full-charge capacity on the latest flight that recorded one.' })),
  healthPercent: Type.Number({ minimum: 0, maximum: 100 }),
  healthMethod: HealthMethod,
  healthBand: StringEnum(['good', 'fair', 'poor']),
  minVoltageV: Nullable(Type.Number({ description: 'Lowest pack voltage recorded in any flight.' })),
  minTemperatureC: Nullable(Type.Number()),
  maxTemperatureC: Nullable(Type.Number()),
  capacityTrend: Type.Array(CapacityPoint, { description: 'One point per flight that recorded a capacity, oldest first.' }),
});
export type BatteryHealth = Static<typeof BatteryHealth>;

export const BatteryHealthResponse = Type.Object({
  items: Type.Array(BatteryHealth, { description: 'In use before retired, most recently used first.' }),
  formula: Type.String({ description: 'How healthPercent is computed.' }),
});
export type BatteryHealthResponse = Static<typeof BatteryHealthResponse>;

// ---------------------------------------------------------------------------------------------
// Maintenance
// ---------------------------------------------------------------------------------------------

/** Defaults when nothing is configured (as Open DroneLog): 100 flights, 50 h, 120 days, for both kinds. */
export const DEFAULT_MAINTENANCE_THRESHOLDS = { flights: 100, hours: 50, days: 120 } as const;

export const MaintenanceThresholds = Type.Object({
  flights: Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Flights between services; null = no limit.' })),
  hours: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Flight hours between services; null = no limit.' })),
  days: Nullable(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Days between services; null = no limit.' })),
});
export type MaintenanceThresholds = Static<typeof MaintenanceThresholds>;

export const ThresholdsPutBody = Type.Object(
  {
    flights: Type.Optional(MaintenanceThresholds.properties.flights),
    hours: Type.Optional(MaintenanceThresholds.properties.hours),
    days: Type.Optional(MaintenanceThresholds.properties.days),
  },
  {
    minProperties: 1,
    additionalProperties: false,
    description:
      'Only the fields sent change. For one item, null means "use the default of its kind"; for the defaults, null means "no limit".',
  },
);
export type ThresholdsPutBody = Static<typeof ThresholdsPutBody>;

export const MaintenanceKindParams = Type.Object({ kind: KindParam });
export type MaintenanceKindParams = Static<typeof MaintenanceKindParams>;

export const MaintenanceDefaults = Type.Object({
  aircraft: MaintenanceThresholds,
  battery: MaintenanceThresholds,
});
export type MaintenanceDefaults = Static<typeof MaintenanceDefaults>;

export const ServiceRecord = Type.Object({
  id: Type.Integer(),
  kind: EquipmentKind,
  serial: Type.String(),
  performedAt: Type.String({ format: 'date-time', description: 'Counters restart here; a day-only date means 00:00 UTC of that day.' }),
  note: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ServiceRecord = Static<typeof ServiceRecord>;

export const ServiceRecordBody = Type.Object(
  {
    date: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'When it was done: a day YYYY-MM-DD (counted from 00:00 UTC) or an instant with offset; default now. Not in the future.',
      }),
    ),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'What was done, up to 2000 characters.' }))),
  },
  { additionalProperties: false },
);
export type ServiceRecordBody = Static<typeof ServiceRecordBody>;

export const ServiceRecordList = Type.Object({ items: Type.Array(ServiceRecord, { description: 'Newest first.' }) });
export type ServiceRecordList = Static<typeof ServiceRecordList>;

export const MaintenanceCounter = StringEnum(['flights', 'hours', 'days']);
export type MaintenanceCounter = Static<typeof MaintenanceCounter>;

export const MaintenanceItem = Type.Object({
  kind: EquipmentKind,
  serial: Type.String(),
  name: Type.String(),
  retired: Type.Boolean(),
  thresholds: MaintenanceThresholds,
  thresholdSource: Type.Object({
    flights: StringEnum(['item', 'default']),
    hours: StringEnum(['item', 'default']),
    days: StringEnum(['item', 'default']),
  }),
  lastService: Nullable(ServiceRecord),
  since: Type.Object({
    from: Nullable(Type.String({ format: 'date-time', description: 'The last service, else the first flight.' })),
    flights: Type.Integer(),
    hours: Type.Number(),
    days: Nullable(Type.Integer({ description: 'Whole days since `from`.' })),
  }),
  percent: Type.Object({
    flights: Nullable(Type.Number({ description: '100 × since.flights ÷ thresholds.flights; null without a threshold.' })),
    hours: Nullable(Type.Number()),
    days: Nullable(Type.Number()),
  }),
  overdue: Type.Boolean({ description: 'A counter has reached its threshold (≥ 100 %).' }),
  dueReasons: Type.Array(MaintenanceCounter, { description: 'The counters at or over 100 %.' }),
});
export type MaintenanceItem = Static<typeof MaintenanceItem>;

export const MaintenanceQuery = Type.Object({
  kind: Type.Optional(EquipmentKind),
  includeRetired: Type.Optional(Type.Boolean({ default: false, description: 'Retired equipment is left out unless true.' })),
});
export type MaintenanceQuery = Static<typeof MaintenanceQuery>;

export const MaintenanceResponse = Type.Object({
  items: Type.Array(MaintenanceItem, { description: 'Most due first (highest percentage of any counter).' }),
  defaults: MaintenanceDefaults,
});
export type MaintenanceResponse = Static<typeof MaintenanceResponse>;
