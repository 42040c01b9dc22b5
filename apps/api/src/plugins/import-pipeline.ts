import fp from 'fastify-plugin';
import { FlightWriteRepository } from '../repositories/flight-write.repository.js';
import { ImportLedgerRepository } from '../repositories/import-ledger.repository.js';
import { KeychainRepository } from '../repositories/keychain.repository.js';
import { FlightImportService } from '../services/flight-import.service.js';
import { KeychainService } from '../services/keychain.service.js';
import { OriginalStore } from '../services/original-store.service.js';
import { ParseWorkerPool } from '../workers/parse-worker-pool.js';

/**
 * Wires the import pipeline: parse worker pool, keychain cache + DJI client, originals store, ledger,
 * and the import service shared by the upload route and the sync folder job.
 */
export default fp(
  async (fastify) => {
    const c = fastify.config;
    const parser = new ParseWorkerPool({ concurrency: c.parseConcurrency, timeoutMs: c.parseTimeoutMs });
    const keychains = new KeychainService(new KeychainRepository(fastify.db), {
      apiKey: c.djiApiKey,
      endpoint: c.djiKeychainEndpoint,
      timeoutMs: c.djiKeychainTimeoutMs,
    });
    const originals = new OriginalStore(c.originalsDir, c.uploadTmpDir);
    const service = new FlightImportService(
      {
        ledger: new ImportLedgerRepository(fastify.db),
        flights: new FlightWriteRepository(fastify.db),
        keychains,
        originals,
        parser,
        log: fastify.log.child({ component: 'import' }),
        tagger: fastify.smartTags,
      },
      {
        keepOriginals: c.keepUploadedFiles,
        maxUploadBytes: c.maxUploadBytes,
        maxFilesPerRequest: c.maxFilesPerRequest,
        concurrency: c.parseConcurrency,
        parseTimeoutMs: c.parseTimeoutMs,
      },
    );

    // A previous process may have stopped mid-import: its temp uploads are garbage, its 'pending' entries retryable.
    await originals.clearTemp();
    const interrupted = await service.recoverInterrupted();
    if (interrupted > 0) fastify.log.warn({ interrupted }, 'imports interrupted by the last shutdown are marked failed (retryable)');

    fastify.decorate('flightImport', service);
    fastify.addHook('onClose', async () => {
      await parser.close();
    });
  },
  { name: 'import-pipeline', dependencies: ['database', 'smart-tags'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    flightImport: FlightImportService;
  }
}
