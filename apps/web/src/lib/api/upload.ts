/**
 * Multipart upload with progress (fetch has no upload progress; XHR does).
 * One file per request so each file has its own progress bar and result, and one bad file never
 * fails the others.
 */
import { API_BASE } from './client.js';
import { isAuthFailure } from '../utils/login.js';
import type { ImportFileResult, ImportOutcomeStatus } from './types.js';

/** One file's outcome as the queue shows it (the API's ImportFileResult, or a client-side failure). */
export interface UploadOutcome {
  fileName: string;
  status: ImportOutcomeStatus;
  reason: string | null;
  reasonCode: string | null;
  flightId: number | null;
  /** Set when the server asked to come back later (429 rate limit, 503 overload): retry after this many ms. */
  retryAfterMs?: number;
}

export interface UploadHandle {
  promise: Promise<UploadOutcome>;
  abort: () => void;
}

const failed = (fileName: string, reason: string, reasonCode: string | null = null): UploadOutcome => ({
  fileName,
  status: 'failed',
  reason,
  reasonCode,
  flightId: null,
});

/** Retry-After in seconds or as an HTTP date → ms (bounded 1–120 s; default 5 s). */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  let ms = 5000;
  if (header) {
    const s = Number(header);
    if (Number.isFinite(s)) ms = s * 1000;
    else {
      const t = Date.parse(header);
      if (Number.isFinite(t)) ms = t - now;
    }
  }
  return Math.min(120_000, Math.max(1000, ms));
}

/** Reads this file's result from the API's answer (`{ results: ImportFileResult[] }`) or its error body. */
export function resultFromResponse(fileName: string, status: number, body: unknown, retryAfter: string | null = null): UploadOutcome {
  const b = body as { results?: ImportFileResult[]; error?: string; message?: string } | undefined;
  const list = b?.results;
  if (status >= 200 && status < 300 && list && list.length > 0) {
    const r = list.find((x) => x.fileName === fileName) ?? list[0]!;
    return { fileName, status: r.status, reason: r.reason ?? null, reasonCode: r.reasonCode ?? null, flightId: r.flightId ?? null };
  }
  if (status === 429 || status === 503) {
    return { ...failed(fileName, 'The server is busy; retrying shortly.', status === 429 ? 'rate-limited' : 'overloaded'), retryAfterMs: retryAfterMs(retryAfter) };
  }
  if (status === 413) return failed(fileName, 'The file is larger than the server accepts (MAX_UPLOAD_MB).', 'too-large');
  if (status === 0) return failed(fileName, 'The upload was interrupted: the server could not be reached.', 'network');
  return failed(fileName, b?.message ?? `The server answered ${status}.`, b?.error ?? null);
}

export function uploadFile(file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadOutcome>((resolve) => {
    const form = new FormData();
    form.append('files', file, file.name);
    xhr.open('POST', `${API_BASE}/imports`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      const outcome = resultFromResponse(file.name, xhr.status, body, xhr.getResponseHeader('retry-after'));
      // Same rule as client.ts: no usable profile → /login (the file shows the server's reason meanwhile).
      if (isAuthFailure(xhr.status, outcome.reasonCode ?? '')) void import('./login-redirect.js').then((m) => m.toLogin());
      resolve(outcome);
    };
    xhr.onerror = () => resolve(resultFromResponse(file.name, 0, undefined));
    xhr.onabort = () => resolve(failed(file.name, 'Cancelled.', 'cancelled'));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
