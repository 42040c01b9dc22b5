/**
 * Svelte action owning the flight map: maplibre-gl (camera, optional basemap, scale) + a deck.gl
 * overlay (path at altitude, markers, aircraft). Both libraries are loaded lazily, in their own chunk,
 * only when a flight page shows a map. Layer contents come from the pure builders in layers.ts.
 */
import type { Map as MlMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { TrackPoint } from '$lib/api/types.js';
import { gridLines, markerLayers, neutralStyle, staticLayers, trackBounds, type LayerDescriptor, type ReplayPosition, type RGBA } from './layers.js';

export interface FlightMapParams {
  track: TrackPoint[];
  colors: RGBA[];
  home: { lon: number; lat: number } | null;
  marker: ReplayPosition | null;
  theme: 'dark' | 'light';
  /** Basemap style URL (the server's local style or MAP_STYLE_URL); null = neutral background with grid. */
  styleUrl: string | null;
  units: 'metric' | 'imperial';
  /** Tooltip text for a hovered point of the path. */
  tooltip?: (p: TrackPoint) => string;
  /** The pilot clicked the path: seek the replay to that point's time (ms). */
  onSeek?: (ms: number) => void;
  onError?: (message: string) => void;
}

type Libs = typeof import('./map-libs.js');
let libs: Promise<Libs> | null = null;

export function flightMap(node: HTMLElement, params: FlightMapParams) {
  let p = params;
  let map: MlMap | null = null;
  // Two deck.gl overlays, each with its own canvas: the flight (redrawn only when it changes) and the
  // aircraft (redrawn every replay frame). One overlay would redraw the whole path per frame.
  let overlay: MapboxOverlay | null = null;
  let markerOverlay: MapboxOverlay | null = null;
  let L: Libs | null = null;
  let scale: InstanceType<Libs['ScaleControl']> | null = null;
  let destroyed = false;
  // Set when the basemap's style or tiles fail: the map goes back to the neutral style (background, grid, scale)
  // and stays there until another style URL arrives, so the flight is always drawn on something readable.
  let basemapFailed = false;

  function styleFor(par: FlightMapParams) {
    if (par.styleUrl && !basemapFailed) return par.styleUrl;
    const b = trackBounds(par.track, par.home ? [[par.home.lon, par.home.lat]] : []);
    return neutralStyle(par.theme, b ? gridLines(b).geojson : null);
  }

  let staticCache: { key: unknown[]; layers: unknown[] } | null = null;
  let prevFlightLayers: unknown[] | null = null;

  function instantiate(d: LayerDescriptor): unknown {
    const ctor = { PathLayer: L!.PathLayer, ScatterplotLayer: L!.ScatterplotLayer, LineLayer: L!.LineLayer } as const;
    return new (ctor[d.type] as unknown as new (props: Record<string, unknown>) => unknown)(d.props);
  }

  function flightDeckLayers() {
    if (!L) return [];
    const key = [p.track, p.colors, p.home, p.theme];
    if (!staticCache || staticCache.key.some((k, i) => k !== key[i])) {
      staticCache = { key, layers: staticLayers({ track: p.track, colors: p.colors, home: p.home, theme: p.theme }).map(instantiate) };
    }
    return staticCache.layers;
  }

  function markerDeckLayers() {
    return L ? markerLayers(p.marker).map(instantiate) : [];
  }

  function publishMarker() {
    if (!map || !p.marker) {
      delete node.dataset.marker;
      return;
    }
    const pt = map.project([p.marker.lon, p.marker.lat]);
    node.dataset.marker = `${p.marker.lon.toFixed(6)},${p.marker.lat.toFixed(6)}`;
    node.dataset.markerPx = `${Math.round(pt.x)},${Math.round(pt.y)}`;
  }

  function fit(animate: boolean) {
    if (!map) return;
    const b = trackBounds(p.track, p.home ? [[p.home.lon, p.home.lat]] : []);
    if (!b) return;
    const pad = Math.min(80, Math.round(Math.min(node.clientWidth, node.clientHeight) / 6));
    map.fitBounds(
      [
        [b[0], b[1]],
        [b[2], b[3]],
      ],
      { padding: pad, pitch: 50, bearing: -15, maxZoom: 18.5, animate, duration: animate ? 600 : 0 },
    );
  }

  async function init() {
    try {
      L = await (libs ??= import('./map-libs.js'));
    } catch (e) {
      p.onError?.(`The map could not be loaded: ${(e as Error).message}`);
      return;
    }
    if (destroyed) return;
    try {
      map = new L.Map({
        container: node,
        style: styleFor(p) as never,
        attributionControl: p.styleUrl ? { compact: true } : false,
        maxPitch: 80,
        canvasContextAttributes: { antialias: true },
        // Nothing is fetched unless a basemap is configured; no telemetry is sent by maplibre.
        center: p.track[0] ? [p.track[0][0], p.track[0][1]] : [0, 0],
        zoom: 15,
      });
    } catch (e) {
      p.onError?.(`WebGL is not available in this browser, so the 3D map cannot be shown. (${(e as Error).message})`);
      return;
    }
    map.addControl(new L.NavigationControl({ visualizePitch: true }), 'top-right');
    scale = new L.ScaleControl({ unit: p.units, maxWidth: 120 });
    map.addControl(scale, 'bottom-left');
    overlay = new L.MapboxOverlay({
      interleaved: false,
      layers: flightDeckLayers() as never,
      onClick: (info: { layer?: { id: string } | null; object?: unknown }) => {
        const pt = info.object as TrackPoint | undefined;
        if (info.layer?.id === 'flight-pick' && pt) p.onSeek?.(pt[3]);
      },
      getTooltip: (info: { layer?: { id: string } | null; object?: unknown }) => {
        const pt = info.object as TrackPoint | undefined;
        if (info.layer?.id !== 'flight-pick' || !pt || !p.tooltip) return null;
        return {
          text: p.tooltip(pt),
          style: {
            background: 'var(--surface)',
            color: 'var(--text)',
            border: '1px solid var(--border)',
            borderRadius: '5px',
            padding: '3px 7px',
            fontSize: '12px',
            fontFamily: 'var(--font)',
          },
        };
      },
      getCursor: ({ isHovering, isDragging }: { isHovering: boolean; isDragging: boolean }) =>
        isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab',
    } as never);
    map.addControl(overlay as never);
    markerOverlay = new L.MapboxOverlay({ interleaved: false, layers: markerDeckLayers() as never });
    map.addControl(markerOverlay as never);
    map.on('error', (ev) => {
      const msg = (ev as unknown as { error?: { message?: string } }).error?.message ?? 'unknown error';
      if (p.styleUrl && !basemapFailed) {
        basemapFailed = true;
        map?.setStyle(styleFor(p) as never);
        p.onError?.(`The basemap could not be loaded (${msg}); showing the plain grid.`);
      }
    });
    map.on('move', publishMarker);
    fit(false);
    map.once('idle', () => {
      node.dataset.ready = 'true';
      publishMarker();
    });
  }

  // The page's "fit" button dispatches this event on the map node.
  const onFit = () => fit(true);
  node.addEventListener('flightmap:fit', onFit);

  init();

  return {
    update(next: FlightMapParams) {
      const prev = p;
      p = next;
      if (!map || !overlay) return;
      // A basemap's theme is in its URL; the neutral style is rebuilt per theme and track.
      if (next.styleUrl !== prev.styleUrl) basemapFailed = false;
      const neutral = !next.styleUrl || basemapFailed;
      const neutralChanged = neutral && (next.theme !== prev.theme || next.track !== prev.track);
      if (next.styleUrl !== prev.styleUrl || neutralChanged) {
        map.setStyle(styleFor(next) as never);
      }
      if (next.track !== prev.track) fit(true);
      if (next.units !== prev.units) scale?.setUnit(next.units);
      const flightLayers = flightDeckLayers();
      if (flightLayers !== prevFlightLayers) overlay.setProps({ layers: flightLayers as never });
      prevFlightLayers = flightLayers;
      if (next.marker !== prev.marker) markerOverlay?.setProps({ layers: markerDeckLayers() as never });
      publishMarker();
    },
    destroy() {
      destroyed = true;
      node.removeEventListener('flightmap:fit', onFit);
      markerOverlay?.finalize();
      overlay?.finalize();
      map?.remove();
      map = null;
      overlay = null;
      markerOverlay = null;
    },
  };
}

