/**
 * The one typed fetch wrapper. Same-origin only: every request goes to `/api/v1/*` on the page's own
 * origin (privacy: nothing leaves the browser for a third party).
 */
import type {
  AppConfig,
  FlightDetail,
  FlightListResponse,
  FlightPatch,
  ImportLedgerEntry,
  NamedCount,
  TelemetryResponse,
  TrackResponse,
  TrackPoint,
} from './types.js';

export const API_BASE = '/api/v1';

type Fetch = typeof fetch;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(f: Fetch, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await f(`${API_BASE}${path}`, { headers: { accept: 'application/json', ...init?.headers }, ...init });
  } catch (e) {
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
    throw new ApiError(res.status, b?.error ?? 'http', b?.message ?? `${res.status} ${res.statusText}`);
  }
  return body as T;
}

function qs(p: URLSearchParams | Record<string, string | number | undefined | null>): string {
  const sp = p instanceof URLSearchParams ? p : new URLSearchParams();
  if (!(p instanceof URLSearchParams)) for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Lists from /tags, /aircraft, /batteries come as strings or objects; normalise to NamedCount. */
function normaliseNamed(raw: unknown): NamedCount[] {
  const arr = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { items?: unknown }).items) ? (raw as { items: unknown[] }).items : [];
  return arr
    .map((x): NamedCount | null => {
      if (typeof x === 'string') return { name: x, value: x };
      if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        const value = (o.serial ?? o.value ?? o.id ?? o.name ?? o.tag) as string | undefined;
        const name = (o.displayName ?? o.name ?? o.model ?? o.tag ?? value) as string | undefined;
        if (!value && !name) return null;
        return { name: String(name ?? value), value: String(value ?? name), count: typeof o.count === 'number' ? o.count : (o.flights as number | undefined) };
      }
      return null;
    })
    .filter((x): x is NamedCount => x !== null);
}

/** Track may come as an array or `{ points }`. */
function normaliseTrack(raw: unknown): TrackResponse {
  if (Array.isArray(raw)) return { points: raw as TrackPoint[] };
  const o = raw as { points?: TrackPoint[]; track?: TrackPoint[] } | null;
  return { points: o?.points ?? o?.track ?? [] };
}

export function api(f: Fetch = fetch) {
  return {
    listFlights: (params: URLSearchParams) => request<FlightListResponse>(f, `/flights${qs(params)}`),
    getFlight: (id: string) => request<FlightDetail>(f, `/flights/${encodeURIComponent(id)}`),
    patchFlight: (id: string, patch: FlightPatch) =>
      request<FlightDetail>(f, `/flights/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(patch),
      }),
    deleteFlight: (id: string) => request<void>(f, `/flights/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    telemetry: (id: string, opts: { fields?: string[]; points?: number; from?: number; to?: number }, signal?: AbortSignal) =>
      request<TelemetryResponse>(
        f,
        `/flights/${encodeURIComponent(id)}/telemetry${qs({
          fields: opts.fields?.join(','),
          points: opts.points,
          from: opts.from !== undefined ? Math.floor(opts.from) : undefined,
          to: opts.to !== undefined ? Math.ceil(opts.to) : undefined,
        })}`,
        signal ? { signal } : undefined,
      ),
    track: async (id: string, points?: number) => normaliseTrack(await request<unknown>(f, `/flights/${encodeURIComponent(id)}/track${qs({ points })}`)),
    tags: async () => normaliseNamed(await request<unknown>(f, '/tags')),
    aircraft: async () => normaliseNamed(await request<unknown>(f, '/aircraft')),
    batteries: async () => normaliseNamed(await request<unknown>(f, '/batteries')),
    imports: async () => {
      const raw = await request<unknown>(f, '/imports');
      return (Array.isArray(raw) ? raw : ((raw as { items?: ImportLedgerEntry[] })?.items ?? [])) as ImportLedgerEntry[];
    },
    retryImports: () => request<unknown>(f, '/imports/retry', { method: 'POST' }),
    /** GET /api/v1/config; absent (404) on older servers → {}. */
    config: async (): Promise<AppConfig> => {
      try {
        return (await request<AppConfig>(f, '/config')) ?? {};
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return {};
        throw e;
      }
    },
  };
}

export type Api = ReturnType<typeof api>;
