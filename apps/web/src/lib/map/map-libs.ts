/**
 * Everything the map needs from maplibre-gl and deck.gl, in one module that flight-map.action.ts
 * imports dynamically: Vite emits it (and its dependencies) as the lazy map chunk, and the named
 * imports let the bundler drop the deck.gl layers we do not use.
 */
import { Map, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { LineLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import 'maplibre-gl/dist/maplibre-gl.css';

// Under Vite the worker is a separate asset; maplibre must be told where it is (it would otherwise
// look next to its own module file, which the bundler renamed).
setWorkerUrl(workerUrl);

export { LineLayer, Map, MapboxOverlay, NavigationControl, PathLayer, ScaleControl, ScatterplotLayer };
