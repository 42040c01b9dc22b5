import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponse,
  IdParams,
  SyncBusyResponse,
  SyncFile,
  SyncFileList,
  SyncFileListQuery,
  SyncIgnoreList,
  SyncRun,
  SyncStatus,
} from '@dronelog/contracts';

const tags = ['sync'];
const disabled = {
  503: { ...ErrorResponse, description: 'Sync is not configured (SYNC_LOGS_PATH unset), or the folder is not reachable.' },
};

/** The sync folder: thin handlers over SyncFolderService. */
// The TypeBox 0.34 type provider of the flights routes: infers StringEnum (Type.Unsafe) query fields correctly.
const syncRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {

  fastify.get(
    '/sync',
    {
      schema: {
        tags,
        summary: 'Sync folder: configuration, next run, the running run with progress, and the last runs',
        response: { 200: SyncStatus },
      },
    },
    async (request) => request.profile.services.syncFolder.status(),
  );

  fastify.post(
    '/sync',
    {
      schema: {
        tags,
        summary: 'Start a sync run now',
        description:
          'Starts walking the sync folder in the background and answers 202 with the run; follow it with GET /api/v1/sync. ' +
          'Only one run goes at a time: while one is running the answer is 409 with that run.',
        response: {
          202: SyncRun,
          409: { ...SyncBusyResponse, description: 'A run is already in progress (`run`).' },
          ...disabled,
        },
      },
    },
    async (request, reply) => {
      const { run, started } = await request.profile.services.syncFolder.requestRun('manual');
      if (started) return reply.status(202).send(run);
      return reply.status(409).send({
        error: 'sync-running' as const,
        message: `Sync run ${run.id} is already in progress; follow it with GET /api/v1/sync.`,
        run,
      });
    },
  );

  fastify.get(
    '/sync/files',
    {
      schema: {
        tags,
        summary: 'Files of the sync folder and what happened to them (e.g. ?status=failed with the reasons)',
        querystring: SyncFileListQuery,
        response: { 200: SyncFileList, 400: ErrorResponse },
      },
    },
    async (request) => request.profile.services.syncFolder.listFiles(request.query),
  );

  fastify.post(
    '/sync/files/:id/retry',
    {
      schema: {
        tags,
        summary: 'Import a failed or awaiting-key sync file again, read from the folder',
        params: IdParams,
        response: {
          200: SyncFile,
          404: { ...ErrorResponse, description: 'No such sync file, or the file is no longer in the folder.' },
          409: { ...ErrorResponse, description: 'The file is not failed/awaiting-key, or a sync run is in progress.' },
          ...disabled,
        },
      },
    },
    async (request) => request.profile.services.syncFolder.retryFile(request.params.id),
  );

  fastify.get(
    '/sync/ignore',
    {
      schema: {
        tags,
        summary: 'The sync ignore list: files whose flight was deleted, never imported again by the sync',
        response: { 200: SyncIgnoreList },
      },
    },
    async (request) => request.profile.services.syncFolder.listIgnore(),
  );

  fastify.delete(
    '/sync/ignore/:id',
    {
      schema: {
        tags,
        summary: 'Take a file off the ignore list; the next run imports it again if it is still in the folder',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Removed.' }), 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      await request.profile.services.syncFolder.removeIgnore(request.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default syncRoutes;
