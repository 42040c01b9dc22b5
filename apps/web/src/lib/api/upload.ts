/**
 * Multipart upload with progress (fetch has no upload progress; XHR does).
 * One file per request so each file has its own progress bar and result, and one bad file never
 * fails the others.
 */
import { API_BASE } from './client.js';
import type { ImportFileResult, ImportResponse } from './types.js';

export interface UploadHandle {
  promise: Promise<ImportFileResult>;
  abort: () => void;
}

/** Reads the per-file result from the API's answer, tolerating `{results}`, `{files}` or a bare array. */
export function resultFromResponse(fileName: string, status: number, body: unknown): ImportFileResult {
  const b = body as Partial<ImportResponse> & { files?: ImportFileResult[]; error?: string; message?: string };
  const list = Array.isArray(body) ? (body as ImportFileResult[]) : (b?.results ?? b?.files);
  if (status >= 200 && status < 300 && list && list.length > 0) {
    const r = list.find((x) => x.fileName === fileName) ?? list[0]!;
    return { ...r, fileName };
  }
  if (status === 413) return { fileName, status: 'failed', reason: 'The file is larger than the server accepts (MAX_UPLOAD_MB).' };
  if (status === 0) return { fileName, status: 'failed', reason: 'The upload was interrupted: the server could not be reached.' };
  return { fileName, status: 'failed', reason: b?.message ?? `The server answered ${status}.` };
}

export function uploadFile(file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportFileResult>((resolve) => {
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
      resolve(resultFromResponse(file.name, xhr.status, body));
    };
    xhr.onerror = () => resolve(resultFromResponse(file.name, 0, undefined));
    xhr.onabort = () => resolve({ fileName: file.name, status: 'failed', reason: 'Cancelled.' });
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
