import { readFileSync } from 'node:fs';

/** This build's version (apps/api/package.json, found from src/ and dist/ alike): backup manifests, /metrics. */
export const APP_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
