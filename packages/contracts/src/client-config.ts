import { Type, type Static } from '@sinclair/typebox';

/** What the web app needs to know about the server's configuration (never secrets). */
export const ClientConfig = Type.Object(
  {
    /** MAP_STYLE_URL: a maplibre style for the basemap; null = neutral background, no tile requests. */
    mapStyleUrl: Type.Union([Type.String(), Type.Null()]),
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
