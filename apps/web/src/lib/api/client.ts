/**
 * The one typed fetch wrapper. Same-origin only: every request goes to `/api/v1/*` on the page's own
 * origin (privacy: nothing leaves the browser for a third party).
 */
import { aircraftOptions, batteryOptions, tagOptions, toChartTelemetry, toTrack } from './normalise.js';
import { isAuthFailure } from '../utils/login.js';
import type {
  AircraftSummary,
  AppConfig,
  BatterySummary,
  ChartTelemetry,
  FlightDetail,
  FlightListResponse,
  FlightPatchBody,
  ImportList,
  ImportUploadResponse,
  NamedCount,
  OdlImportReport,
  TagCount,
  TelemetryResponse,
  TrackPoint,
  TrackResponse,
} from './types.js';

export const API_BASE = '/api/v1';

export type Fetch = typeof fetch;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from the Retry-After header (423 locked, 429, 503), when the server sent one. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

/** The one fetch wrapper: JSON in/out, `ApiError` with the server's actionable message on 4xx/5xx. */
export async function request<T>(f: Fetch, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await f(`${API_BASE}${path}`, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The Dronelog server could not be reached. Is it running?');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!res.ok) {
    const b = body as { error?: string; message?: string } | undefined;
    const retryAfter = Number(res.headers.get('retry-after') || NaN);
    const err = new ApiError(res.status, b?.error ?? 'http', b?.message ?? `${res.status} ${res.statusText}`, Number.isFinite(retryAfter) ? retryAfter : null);
    // No usable profile (login-required / session-expired): the browser goes to /login, for every caller alike.
    // The navigation starts before the error is thrown, so a load that fails with it is dropped, not shown.
    if (isAuthFailure(err.status, err.code) && typeof window !== 'undefined') await (await import('./login-redirect.js')).toLogin();
    throw err;
  }
  return body as T;
}

export function qs(p: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

const items = <T>(raw: { items?: T[] } | T[] | undefined): T[] => (Array.isArray(raw) ? raw : (raw?.items ?? []));

export function api(f: Fetch = fetch) {
  const flight = (id: number | string) => `/flights/${encodeURIComponent(String(id))}`;
  return {
    listFlights: (params: URLSearchParams) => {
      const s = params.toString();
      return request<FlightListResponse>(f, `/flights${s ? `?${s}` : ''}`);
    },
    getFlight: (id: number | string) => request<FlightDetail>(f, flight(id)),
    patchFlight: (id: number | string, patch: FlightPatchBody) =>
      request<FlightDetail>(f, flight(id), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(patch),
      }),
    deleteFlight: (id: number | string) => request<void>(f, flight(id), { method: 'DELETE' }),
    telemetry: async (
      id: number | string,
      opts: { fields?: string[]; points?: number; from?: number; to?: number },
      signal?: AbortSignal,
    ): Promise<ChartTelemetry> =>
      toChartTelemetry(
        await request<TelemetryResponse>(
          f,
          `${flight(id)}/telemetry${qs({
            fields: opts.fields?.join(','),
            points: opts.points,
            from: opts.from !== undefined ? Math.max(0, Math.floor(opts.from)) : undefined,
            to: opts.to !== undefined ? Math.ceil(opts.to) : undefined,
          })}`,
          signal ? { signal } : undefined,
        ),
      ),
    track: async (id: number | string, points?: number): Promise<TrackPoint[]> =>
      toTrack(await request<TrackResponse>(f, `${flight(id)}/track${qs({ points })}`)),
    tags: async (): Promise<NamedCount[]> => tagOptions(items(await request<{ items: TagCount[] }>(f, '/tags'))),
    aircraft: async (): Promise<NamedCount[]> => aircraftOptions(items(await request<{ items: AircraftSummary[] }>(f, '/aircraft'))),
    batteries: async (): Promise<NamedCount[]> => batteryOptions(items(await request<{ items: BatterySummary[] }>(f, '/batteries'))),
    imports: async (limit = 100) => request<ImportList>(f, `/imports${qs({ limit })}`),
    retryImports: () => request<ImportUploadResponse>(f, '/imports/retry', { method: 'POST' }),
    /** POST an Open DroneLog .db.backup (one multipart file); the answer says what came over. */
    importOdlBackup: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return request<OdlImportReport>(f, '/imports/open-dronelog-backup', { method: 'POST', body: form });
    },
    /** GET /api/v1/config (not in contracts yet): a server without it (404) → {} = neutral map. */
    config: async (): Promise<AppConfig> => {
      try {
        return (await request<AppConfig>(f, '/config')) ?? {};
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return {};
        throw e;
      }
    },
  };
}

export type Api = ReturnType<typeof api>;
