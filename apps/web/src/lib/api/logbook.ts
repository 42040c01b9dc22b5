/**
 * The logbook side of the API (sync folder, overview, equipment and maintenance, report, settings, manual
 * entry, events/audit, exports), on the same fetch wrapper as client.ts: same origin only, `ApiError` with the
 * server's message. Types come from @dronelog/contracts (type-only imports). Download and report links are
 * plain same-origin URLs built here, so pages never assemble API paths by hand.
 */
import type {
  AuditListResponse,
  BatteryHealthResponse,
  EquipmentItem,
  EquipmentKind,
  EquipmentListResponse,
  EquipmentPutBody,
  ExportFormat,
  FlightDetail,
  FlightEventsResponse,
  MaintenanceItem,
  MaintenanceResponse,
  ManualFlightBody,
  OverviewResponse,
  ReportTotals,
  ServiceRecord,
  ServiceRecordBody,
  ServiceRecordList,
  SmartTagSettingsResponse,
  SmartTagSettingsUpdate,
  SyncFileList,
  SyncFile,
  SyncFileStatus,
  SyncIgnoreList,
  SyncRun,
  SyncStatus,
  TagRegenerateResponse,
  ThresholdsPutBody,
} from '@dronelog/contracts';
import { API_BASE, qs, request, type Fetch } from './client.js';

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const withQuery = (path: string, params?: URLSearchParams) => {
  const s = params?.toString();
  return s ? `${path}?${s}` : path;
};

const seg = (v: string | number) => encodeURIComponent(String(v));

export function logbookApi(f: Fetch = fetch) {
  return {
    // Sync folder --------------------------------------------------------------------------------
    syncStatus: () => request<SyncStatus>(f, '/sync'),
    /** 202 with the new run; a run already going answers 409 (ApiError code `sync-running`). */
    startSync: () => request<SyncRun>(f, '/sync', { method: 'POST' }),
    syncFiles: (status?: SyncFileStatus, limit = 100) => request<SyncFileList>(f, `/sync/files${qs({ status, limit })}`),
    retrySyncFile: (id: number) => request<SyncFile>(f, `/sync/files/${seg(id)}/retry`, { method: 'POST' }),
    syncIgnore: () => request<SyncIgnoreList>(f, '/sync/ignore'),
    removeSyncIgnore: (id: number) => request<void>(f, `/sync/ignore/${seg(id)}`, { method: 'DELETE' }),

    // Analytics ----------------------------------------------------------------------------------
    /** `params`: the list filters (see utils/filter-params.ts) plus `activityTo`. */
    overview: (params: URLSearchParams) => request<OverviewResponse>(f, withQuery('/overview', params)),
    reportTotals: (params: URLSearchParams) => request<ReportTotals>(f, withQuery('/report/totals', params)),

    // Equipment and maintenance ------------------------------------------------------------------
    equipment: () => request<EquipmentListResponse>(f, '/equipment'),
    updateEquipment: (kind: EquipmentKind, serial: string, body: EquipmentPutBody) =>
      request<EquipmentItem>(f, `/equipment/${seg(kind)}/${seg(serial)}`, json('PUT', body)),
    batteryHealth: () => request<BatteryHealthResponse>(f, '/equipment/batteries'),
    maintenance: (includeRetired = false) => request<MaintenanceResponse>(f, `/maintenance${qs({ includeRetired: includeRetired ? 'true' : undefined })}`),
    setMaintenanceDefaults: (kind: EquipmentKind, body: ThresholdsPutBody) =>
      request<MaintenanceResponse>(f, `/maintenance/defaults/${seg(kind)}`, json('PUT', body)),
    setThresholds: (kind: EquipmentKind, serial: string, body: ThresholdsPutBody) =>
      request<MaintenanceItem>(f, `/maintenance/${seg(kind)}/${seg(serial)}/thresholds`, json('PUT', body)),
    services: (kind: EquipmentKind, serial: string) => request<ServiceRecordList>(f, `/maintenance/${seg(kind)}/${seg(serial)}/services`),
    addService: (kind: EquipmentKind, serial: string, body: ServiceRecordBody) =>
      request<ServiceRecord>(f, `/maintenance/${seg(kind)}/${seg(serial)}/services`, json('POST', body)),
    deleteService: (id: number) => request<void>(f, `/maintenance/services/${seg(id)}`, { method: 'DELETE' }),

    // Settings -----------------------------------------------------------------------------------
    smartTags: () => request<SmartTagSettingsResponse>(f, '/settings/smart-tags'),
    updateSmartTags: (body: SmartTagSettingsUpdate) => request<SmartTagSettingsResponse>(f, '/settings/smart-tags', json('PUT', body)),
    regenerateTags: () => request<TagRegenerateResponse>(f, '/tags/regenerate', { method: 'POST' }),

    // Flights: manual entry, events, audit ------------------------------------------------------
    createManualFlight: (body: ManualFlightBody) => request<FlightDetail>(f, '/flights/manual', json('POST', body)),
    flightEvents: (id: number) => request<FlightEventsResponse>(f, `/flights/${seg(id)}/events`),
    flightAudit: (id: number) => request<AuditListResponse>(f, `/flights/${seg(id)}/audit`),
  };
}

export type LogbookApi = ReturnType<typeof logbookApi>;

// Links (same origin; the browser downloads or opens them) ------------------------------------------

export function flightExportUrl(id: number, format: ExportFormat): string {
  return `${API_BASE}/flights/${seg(id)}/export?format=${format}`;
}

export function summaryCsvUrl(filters: URLSearchParams): string {
  return withQuery(`${API_BASE}/exports/summary.csv`, filters);
}

export function flightsZipUrl(filters: URLSearchParams, format: ExportFormat = 'csv'): string {
  const p = new URLSearchParams(filters);
  p.set('format', format);
  return withQuery(`${API_BASE}/exports/flights.zip`, p);
}

/** The printable report: `params` = list filters plus pilot, title, currencyHours, currencyDays. */
export function reportUrl(params: URLSearchParams): string {
  return withQuery(`${API_BASE}/report`, params);
}
