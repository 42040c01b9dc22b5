import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from './common.js';

/**
 * The basemap the flight map draws. `none`: a neutral background with a grid, nothing fetched. `style`: the
 * third-party style of MAP_STYLE_URL. `pmtiles`: this server's own style over its local `.pmtiles` file
 * (MAP_PMTILES_PATH); `styleUrl` is same-origin and takes `?theme=light|dark`.
 */
export const BasemapConfig = Type.Object({
  kind: StringEnum(['none', 'style', 'pmtiles']),
  styleUrl: Nullable(Type.String({ description: 'The maplibre style to load; null when kind is none.' })),
});
export type BasemapConfig = Static<typeof BasemapConfig>;

/** What the web app needs to know about the server's configuration (never secrets). */
export const ClientConfig = Type.Object(
  {
    /** MAP_STYLE_URL: a maplibre style for the basemap; null = neutral background, no tile requests. */
    mapStyleUrl: Type.Union([Type.String(), Type.Null()]),
    basemap: BasemapConfig,
    /** Whether a DJI API key is configured, so v13+ logs can be decrypted. */
    djiKeyConfigured: Type.Boolean(),
    /** Whether the sync folder is configured (SYNC_LOGS_PATH). */
    syncEnabled: Type.Boolean(),
    /** Largest accepted upload in bytes (MAX_UPLOAD_MB). */
    maxUploadBytes: Type.Integer(),
  },
  { $id: 'ClientConfig' },
);
export type ClientConfig = Static<typeof ClientConfig>;
