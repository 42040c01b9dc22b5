/**
 * Profiles and the session, on the same fetch wrapper as client.ts. The session itself is an HttpOnly,
 * SameSite=Strict cookie set by the server: the page never reads, stores or sends a token, and no password is
 * kept after its request.
 */
import type {
  CreateProfileBody,
  DeleteProfileBody,
  ProfileList,
  ProfileSummary,
  RemovePasswordBody,
  SessionInfo,
  SetPasswordBody,
} from '@dronelog/contracts';
import { request, type Fetch } from './client.js';

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const profile = (name: string) => `/profiles/${encodeURIComponent(name)}`;

/** Drops empty optional passwords: an empty field means "not given", which the API treats as missing. */
function given<T extends object>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== '')) as T;
}

const sessionListeners = new Set<() => void>();

/**
 * Calls `listener` after this browser's session changed (logged in to a profile, switched, logged out), so state
 * that belongs to a profile (the upload queue) is dropped before it could act for another one. Returns the unsubscribe.
 */
export function onSessionChange(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

async function changingSession<T>(call: Promise<T>): Promise<T> {
  const result = await call;
  for (const listener of sessionListeners) listener();
  return result;
}

export function profilesApi(f: Fetch = fetch) {
  return {
    list: () => request<ProfileList>(f, '/profiles'),
    session: () => request<SessionInfo>(f, '/session'),
    /** Log in to (or switch to) a profile; no password for an unprotected one. */
    login: (name: string, password?: string) =>
      changingSession(request<SessionInfo>(f, '/session', json('POST', given({ profile: name, password })))),
    logout: () => changingSession(request<void>(f, '/session', { method: 'DELETE' })),
    create: (body: CreateProfileBody) => request<ProfileSummary>(f, '/profiles', json('POST', given(body))),
    remove: (name: string, body: DeleteProfileBody) => request<void>(f, profile(name), json('DELETE', given(body))),
    setPassword: (name: string, body: SetPasswordBody) => request<void>(f, `${profile(name)}/password`, json('PUT', given(body))),
    removePassword: (name: string, body: RemovePasswordBody) => request<void>(f, `${profile(name)}/password`, json('DELETE', given(body))),
  };
}

export type ProfilesApi = ReturnType<typeof profilesApi>;
