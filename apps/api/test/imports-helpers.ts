import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ImportEntry, ImportFileResult, ImportList } from '@dronelog/contracts';
import { fixturesDir } from '@dronelog/testkit';

export interface UploadFile {
  name: string;
  bytes: Uint8Array | string;
}

/** A real multipart/form-data body, serialised by undici's FormData/Request (what browsers send). */
export async function multipart(files: UploadFile[], fields: Record<string, string> = {}): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('file', new Blob([typeof f.bytes === 'string' ? f.bytes : Buffer.from(f.bytes)]), f.name);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')! } };
}

export async function upload(
  app: FastifyInstance,
  files: UploadFile[],
): Promise<{ res: Awaited<ReturnType<FastifyInstance['inject']>>; results: ImportFileResult[] }> {
  const body = await multipart(files);
  const res = await app.inject({ method: 'POST', url: '/api/v1/imports', ...body });
  return { res, results: res.statusCode === 200 ? (res.json().results as ImportFileResult[]) : [] };
}

export async function uploadOne(app: FastifyInstance, file: UploadFile): Promise<ImportFileResult> {
  const { res, results } = await upload(app, [file]);
  if (res.statusCode !== 200) throw new Error(`upload answered ${res.statusCode}: ${res.body}`);
  return results[0]!;
}

export async function ledger(app: FastifyInstance, query = ''): Promise<ImportList> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/imports${query}` });
  if (res.statusCode !== 200) throw new Error(`ledger answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function ledgerEntry(app: FastifyInstance, id: number): Promise<ImportEntry> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}` });
  if (res.statusCode !== 200) throw new Error(`ledger entry answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** Reads rows through the app's own reader connection (tests only). */
export async function sql<T = Record<string, unknown>>(app: FastifyInstance, query: string, params: Array<string | number | bigint | null> = []): Promise<T[]> {
  const r = await app.db.reader.runAndReadAll(query, params);
  return r.getRowObjectsJS() as T[];
}

export async function count(app: FastifyInstance, table: 'flights' | 'telemetry' | 'flight_messages' | 'keychains' | 'imports', where = '', params: Array<string | number | bigint | null> = []): Promise<number> {
  const rows = await sql<{ n: bigint }>(app, `SELECT count(*) AS n FROM ${table} ${where ? `WHERE ${where}` : ''}`, params);
  return Number(rows[0]!.n);
}

/** The real DJI logs folder (`dji/`), or null when missing (fixturesDir warns loudly, or throws under CI=true). */
export function realLogsDir(): string | null {
  const dir = fixturesDir();
  return dir ? path.join(dir, 'dji') : null;
}

export async function readRealLog(dir: string, file: string): Promise<UploadFile> {
  return { name: file, bytes: new Uint8Array(await fs.readFile(path.join(dir, file))) };
}

/** Files left in a directory tree (e.g. the temp upload dir). */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
