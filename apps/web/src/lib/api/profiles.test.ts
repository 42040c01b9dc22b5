import { describe, expect, it } from 'vitest';
import { onSessionChange, profilesApi } from './profiles.js';

/** A fetch that answers every request with `status` and a JSON body. */
const answering = (status: number, body: unknown) => async () =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('session changes', () => {
  it('are announced after a login and a logout that succeeded, not after a refused one', async () => {
    let changes = 0;
    const stop = onSessionChange(() => changes++);
    try {
      await profilesApi(answering(200, { loggedIn: true, profile: 'field-team' })).login('field-team');
      expect(changes).toBe(1);
      await profilesApi(answering(204, null)).logout();
      expect(changes).toBe(2);
      await expect(profilesApi(answering(401, { error: 'wrong-password', message: 'Wrong password.' })).login('field-team', 'nope')).rejects.toThrow();
      expect(changes).toBe(2);
    } finally {
      stop();
    }
    await profilesApi(answering(204, null)).logout();
    expect(changes).toBe(2);
  });
});
