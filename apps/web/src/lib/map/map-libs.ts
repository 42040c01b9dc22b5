/**
 * Everything the map needs from maplibre-gl and deck.gl, in one module that flight-map.action.ts
 * imports dynamically: Vite emits it (and its dependencies) as the lazy map chunk, and the named
 * imports let the bundler drop the deck.gl layers we do not use.
 */
import { addProtocol, Map, NavigationControl, ScaleControl, setWorkerUrl, type AddProtocolAction } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { LineLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { Protocol } from 'pmtiles';
import 'maplibre-gl/dist/maplibre-gl.css';

// Under Vite the worker is a separate asset; maplibre must be told where it is (it would otherwise
// look next to its own module file, which the bundler renamed).
setWorkerUrl(workerUrl);

// pmtiles:// sources (the server's local basemap, MAP_PMTILES_PATH) are read by HTTP range requests to the
// same origin. Registered here so the reader loads with the map chunk, never with the initial JS.
// (pmtiles types its answer's data as unknown: it is tile bytes, TileJSON or null, all of which maplibre takes.)
addProtocol('pmtiles', new Protocol().tilev4 as AddProtocolAction);

export { LineLayer, Map, MapboxOverlay, NavigationControl, PathLayer, ScaleControl, ScatterplotLayer };
