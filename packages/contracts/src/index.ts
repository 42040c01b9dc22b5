/**
 * @dronelog/contracts: TypeBox schemas and their Static types for the HTTP API.
 * The api validates and documents routes with them; the web app types its fetch wrapper with them.
 */
export * from './common.js';
export * from './flights.js';
export * from './imports.js';
export * from './sync.js';
export * from './analytics.js';
export * from './equipment.js';
export * from './exports.js';
export * from './logbook.js';
export * from './settings.js';
export * from './backup.js';
export * from './client-config.js';
export * from './profiles.js';
