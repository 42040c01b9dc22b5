import fs from 'node:fs/promises';
import path from 'node:path';
import type { SyncConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { ProfileRow } from '../repositories/profile.repository.js';
import type { ImportObserver } from '../services/flight-import.service.js';
import { buildProfileServices, type ProfileFolders, type ProfileServices, type SharedDeps } from './profile-services.js';

export const DEFAULT_PROFILE = 'default';

/** One open profile: its schema view and its services. */
export interface ProfileContext {
  readonly name: string;
  readonly schema: string;
  readonly db: Database;
  readonly services: ProfileServices;
}

/**
 * The open profiles of the process. Each has its schema in the one DuckDB file, its own originals folder
 * (`DATA_DIR/profiles/<name>/originals`; the default profile keeps `DATA_DIR/originals`) and its own sync folder:
 * SYNC_LOGS_PATH for the default profile, SYNC_LOGS_PATH/<name> for the others, as in Open DroneLog.
 */
export class ProfileRegistry {
  readonly #contexts = new Map<string, ProfileContext>();
  readonly #importObservers = new Set<ImportObserver>();
  #nextRun: () => Date | null = () => null;

  constructor(
    private readonly main: Database,
    private readonly shared: SharedDeps,
  ) {}

  /** Opens (creating and migrating its schema if new) and wires a profile. */
  async open(row: ProfileRow): Promise<ProfileContext> {
    const key = row.name.toLowerCase();
    const known = this.#contexts.get(key);
    if (known) return known;
    const db = row.schemaName === this.main.schema ? this.main : await this.main.forSchema(row.schemaName);
    const services = await buildProfileServices(db, this.folders(row.name), this.shared, row.name);
    services.syncFolder.setNextRunSource(() => this.#nextRun());
    for (const o of this.#importObservers) services.flightImport.observe(o);
    const ctx: ProfileContext = { name: row.name, schema: row.schemaName, db, services };
    this.#contexts.set(key, ctx);
    return ctx;
  }

  get(name: string): ProfileContext | undefined {
    return this.#contexts.get(name.toLowerCase());
  }

  get default(): ProfileContext {
    const ctx = this.#contexts.get(DEFAULT_PROFILE);
    if (!ctx) throw new Error('the default profile is not open');
    return ctx;
  }

  all(): ProfileContext[] {
    return [...this.#contexts.values()];
  }

  /** Stops the profile's sync and forgets it; its data is removed by the caller (schema) and `removeFolders`. */
  async close(name: string): Promise<void> {
    const key = name.toLowerCase();
    const ctx = this.#contexts.get(key);
    if (!ctx) return;
    this.#contexts.delete(key);
    await ctx.services.syncFolder.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.all().map((ctx) => ctx.services.syncFolder.close()));
  }

  /** Deletes a (non-default) profile's own folder under DATA_DIR; its sync folder is the user's and is never touched. */
  async removeFolders(name: string): Promise<void> {
    if (name.toLowerCase() === DEFAULT_PROFILE) return;
    await fs.rm(this.#profileDir(name), { recursive: true, force: true });
  }

  /** Every profile's import events (metrics, logs), including profiles created later. */
  observeImports(observer: ImportObserver): void {
    this.#importObservers.add(observer);
    for (const ctx of this.#contexts.values()) ctx.services.flightImport.observe(observer);
  }

  /** Lets every profile's sync status show the scheduler's next run time. */
  setNextRunSource(fn: () => Date | null): void {
    this.#nextRun = fn;
  }

  /**
   * One scheduled tick: each profile whose sync folder exists gets a run, one after another (they share the parse
   * workers). A missing subfolder is skipped and never created.
   */
  async runScheduledSync(): Promise<void> {
    for (const ctx of this.all()) {
      const sync = ctx.services.syncFolder;
      const folder = this.folders(ctx.name).sync?.path;
      if (!folder || !sync.enabled || !(await isDirectory(folder))) continue;
      try {
        await sync.runScheduled();
      } catch (err) {
        this.shared.log.error({ err, profile: ctx.name }, 'sync: scheduled run failed');
      }
    }
  }

  /** The start-up run (SYNC_ON_START) of every profile whose sync folder exists. */
  async startupSync(): Promise<void> {
    for (const ctx of this.all()) {
      const folder = this.folders(ctx.name).sync?.path;
      if (!folder || !(await isDirectory(folder))) continue;
      await ctx.services.syncFolder.requestRun('startup').catch((err: unknown) => this.shared.log.error({ err, profile: ctx.name }, 'sync: could not start the start-up run'));
    }
  }

  folders(name: string): ProfileFolders {
    const c = this.shared.config;
    const isDefault = name.toLowerCase() === DEFAULT_PROFILE;
    const sync: SyncConfig | null = c.sync && (isDefault ? c.sync : { ...c.sync, path: path.join(c.sync.path, name) });
    return {
      originalsDir: isDefault ? c.originalsDir : path.join(this.#profileDir(name), 'originals'),
      sync,
      // The default profile's folder holds the other profiles' subfolders: never import those into it.
      skipTopLevelDir: isDefault ? (dir) => dir.toLowerCase() !== DEFAULT_PROFILE && this.#contexts.has(dir.toLowerCase()) : undefined,
    };
  }

  #profileDir(name: string): string {
    return path.join(this.shared.config.dataDir, 'profiles', name.toLowerCase());
  }
}

async function isDirectory(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}
