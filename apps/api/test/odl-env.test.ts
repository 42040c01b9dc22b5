import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';

/** The README's "Coming from Open DroneLog" table, checked: ODL's variables load with ODL's meanings. */
describe("Open DroneLog's environment", () => {
  const odl = {
    DATA_DIR: '/data/drone-logbook',
    DJI_API_KEY: 'my-dji-app-key',
    SYNC_LOGS_PATH: '/sync-logs',
    SYNC_INTERVAL: '0 */30 * * * *',
    KEEP_UPLOADED_FILES: 'false',
    PROFILE_CREATION_PASS: ' master pass ',
    DEFAULT_PROFILE_PASSWORD: 'default-pass',
    SESSION_TTL_HOURS: '12',
  };

  it('is accepted unchanged, with the same meanings', () => {
    const c = loadConfig(odl, '/srv');
    expect(c.dataDir).toBe('/data/drone-logbook');
    expect(c.databaseFile).toBe('/data/drone-logbook/dronelog.duckdb');
    expect(c.djiApiKey).toBe('my-dji-app-key');
    expect(c.sync).toMatchObject({ path: '/sync-logs', schedule: '0 */30 * * * *', onStart: false });
    expect(c.keepUploadedFiles).toBe(false);
    // Passwords are taken as given (a space may be part of one).
    expect(c.auth.profileCreationPass).toBe(' master pass ');
    expect(c.auth.defaultProfilePassword).toBe('default-pass');
    expect(c.auth.sessionTtlMs).toBe(12 * 3_600_000);
  });

  it("defaults as ODL's compose file: sync off, every 8 h when on, keep uploads, 24 h sessions, no master password", () => {
    const c = loadConfig({}, '/srv');
    expect(c.sync).toBeNull();
    expect(loadConfig({ SYNC_LOGS_PATH: '/sync-logs' }, '/srv').sync?.schedule).toBe('0 0 */8 * * *');
    expect(c.keepUploadedFiles).toBe(true);
    expect(c.auth.sessionTtlMs).toBe(24 * 3_600_000);
    expect(c.auth.profileCreationPass).toBeNull();
    expect(c.auth.defaultProfilePassword).toBeNull();
    expect(c.djiApiKey).toBeNull();
  });

  it('refuses a 5-field cron (ODL takes seconds first) with a message naming the variable', () => {
    expect(() => loadConfig({ SYNC_INTERVAL: '0 */8 * * *' }, '/srv')).toThrow(/SYNC_INTERVAL must be a cron expression with 6 fields/);
  });
});
