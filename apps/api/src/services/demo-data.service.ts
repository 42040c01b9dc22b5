import { Readable } from 'node:stream';
import type { ImportFileResult } from '@dronelog/contracts';
import { demoSet } from '@dronelog/testkit';
import type { FlightImportService } from './flight-import.service.js';

/**
 * "Load demo data": imports the test kit's seeded synthetic flights (three aircraft, four batteries,
 * several days and places) through the normal import pipeline, so a first-time user can explore the app.
 * Encrypted (v13+) demo logs are left out: they would only wait for a DJI key.
 * Importing twice adds nothing (the files are byte-stable, so they are duplicates by hash).
 */
export class DemoDataService {
  constructor(private readonly imports: FlightImportService) {}

  async load(): Promise<ImportFileResult[]> {
    const results: ImportFileResult[] = [];
    for (const demo of demoSet()) {
      if (demo.log.version >= 13) continue;
      results.push(await this.imports.importStream(Readable.from([Buffer.from(demo.log.bytes)]), demo.fileName, 'demo'));
    }
    return results;
  }
}
