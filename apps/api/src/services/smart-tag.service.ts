import { MANUAL_ENTRY_TAG, MANUAL_SOURCE_FORMAT, type SmartTagSettingsResponse, type SmartTagSettingsUpdate, type TagRegenerateResponse } from '@dronelog/contracts';
import {
  computeSmartTags,
  defaultSmartTagSettings,
  localStartTime,
  resolveSmartTagSettings,
  smartTagFacts,
  type ParsedFlight,
  type SmartTagFacts,
  type SmartTagSettings,
} from '@dronelog/flightlog';
import type { SettingsRepository } from '../repositories/settings.repository.js';
import type { FlightTagFacts, LocalTimeUpdate, SmartTagRepository } from '../repositories/smart-tag.repository.js';

/** Key of the smart-tag settings in the `settings` table. */
export const SMART_TAGS_SETTINGS_KEY = 'smart_tags';

/** What the importer (and manual entry) writes with a new flight. */
export interface ImportTagging {
  autoTags: string[];
  localTime: { timeZone: string; localStartTime: string } | null;
}

/**
 * Smart tags and local take-off time. The rules are @dronelog/flightlog's `computeSmartTags`; this service
 * supplies the stored settings (defaults when none), tags new flights (imported or entered by hand), and recomputes
 * the auto tags of every flight from its flights row (no telemetry scan). Manual tags are never touched.
 * Manual entries also carry MANUAL_ENTRY_TAG as an auto tag: it follows from the source format, not from a setting.
 */
export class SmartTagService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly tags: SmartTagRepository,
  ) {}

  async getSettings(): Promise<SmartTagSettingsResponse> {
    return { settings: await this.#current(), defaults: defaultSmartTagSettings() };
  }

  /** Merges a partial update into the stored settings (the route has validated the shape and ranges). */
  async updateSettings(update: SmartTagSettingsUpdate): Promise<SmartTagSettingsResponse> {
    const current = await this.#current();
    const next = resolveSmartTagSettings({
      enabled: { ...current.enabled, ...(update.enabled ?? {}) },
      nightRule: update.nightRule ?? current.nightRule,
      thresholds: { ...current.thresholds, ...(update.thresholds ?? {}) },
    });
    await this.settings.set(SMART_TAGS_SETTINGS_KEY, next);
    return { settings: next, defaults: defaultSmartTagSettings() };
  }

  /** Auto tags (with the stored settings) and local take-off time of a freshly parsed flight. */
  async forImport(flight: ParsedFlight): Promise<ImportTagging> {
    return this.forNewFlight(smartTagFacts(flight));
  }

  /**
   * Auto tags and local take-off time of a new flight from its facts: a parsed log's, or a manual entry's (format
   * MANUAL_SOURCE_FORMAT; only the rules its fields allow can apply, e.g. duration, place and time of day).
   */
  async forNewFlight(facts: SmartTagFacts): Promise<ImportTagging> {
    const settings = await this.#current();
    const p = facts.position;
    const local = p === null ? null : localStartTime(p.latitude, p.longitude, facts.startTime);
    return {
      autoTags: systemTags(facts, settings),
      localTime: local === null ? null : { timeZone: local.timeZone, localStartTime: local.localIso },
    };
  }

  /**
   * Recomputes the auto tags of every flight from its stored aggregates with the current settings: types that
   * are switched off disappear, changed thresholds apply. Fills missing local take-off times on the way.
   */
  async regenerate(): Promise<TagRegenerateResponse> {
    const settings = await this.#current();
    const flights = await this.tags.listFacts();
    const changes: Array<{ flightId: number; tags: string[] }> = [];
    let added = 0;
    let removed = 0;
    for (const f of flights) {
      const tags = systemTags(factsOf(f), settings);
      const before = new Set(f.autoTags);
      const after = new Set(tags);
      const plus = tags.filter((t) => !before.has(t)).length;
      const minus = f.autoTags.filter((t) => !after.has(t)).length;
      if (plus + minus === 0) continue;
      added += plus;
      removed += minus;
      changes.push({ flightId: f.id, tags });
    }
    await this.tags.replaceAutoTags(changes);
    await this.tags.setLocalTimes(missingLocalTimes(flights));
    return { flights: flights.length, changed: changes.length, added, removed };
  }

  /** Fills local_time_zone / local_start_time of flights imported before they were recorded; returns how many. */
  async backfillLocalTimes(): Promise<number> {
    const updates = missingLocalTimes(await this.tags.listFacts({ missingLocalTime: true }));
    await this.tags.setLocalTimes(updates);
    return updates.length;
  }

  async #current(): Promise<SmartTagSettings> {
    return resolveSmartTagSettings(await this.settings.get(SMART_TAGS_SETTINGS_KEY));
  }
}

/** Every auto tag of a flight: the smart-tag rules, and MANUAL_ENTRY_TAG first on a manual entry. */
function systemTags(facts: SmartTagFacts, settings: SmartTagSettings): string[] {
  const tags = computeSmartTags(facts, settings);
  return facts.format === MANUAL_SOURCE_FORMAT ? [MANUAL_ENTRY_TAG, ...tags.filter((t) => t !== MANUAL_ENTRY_TAG)] : tags;
}

function factsOf(f: FlightTagFacts): SmartTagFacts {
  return {
    format: f.sourceFormat,
    startTime: f.startTime,
    endTime: f.endTime,
    durationS: f.durationS,
    position: f.latitude === null || f.longitude === null ? null : { latitude: f.latitude, longitude: f.longitude },
    gpsFrameCount: f.gpsFrameCount,
    distanceM: f.distanceM,
    maxHorizontalSpeedMps: f.maxHorizontalSpeedMps,
    maxHeightM: f.maxHeightM,
    maxAltitudeM: f.maxAltitudeM,
    maxDistanceFromHomeM: f.maxDistanceFromHomeM,
    batteryStartPercent: f.batteryStartPercent,
    batteryEndPercent: f.batteryEndPercent,
    batteryStartTemperatureC: f.batteryStartTemperatureC,
  };
}

function missingLocalTimes(flights: readonly FlightTagFacts[]): LocalTimeUpdate[] {
  const out: LocalTimeUpdate[] = [];
  for (const f of flights) {
    if (f.localTimeZone !== null || f.latitude === null || f.longitude === null) continue;
    const local = localStartTime(f.latitude, f.longitude, f.startTime);
    if (local !== null) out.push({ flightId: f.id, timeZone: local.timeZone, localStartTime: local.localIso });
  }
  return out;
}
