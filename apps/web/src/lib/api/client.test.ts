import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request } from './client.js';

const { toLogin } = vi.hoisted(() => ({ toLogin: vi.fn() }));
vi.mock('./login-redirect.js', () => ({ toLogin }));

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })) as typeof fetch;

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected the request to fail');
}

describe('request: errors', () => {
  it("carries the server's code and message, and Retry-After in seconds on a lockout", async () => {
    const e = await caught(request(answer(423, { error: 'locked', message: 'Too many wrong passwords. Try again in 60 s.' }, { 'retry-after': '60' }), '/session'));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(423);
    expect(e.code).toBe('locked');
    expect(e.message).toBe('Too many wrong passwords. Try again in 60 s.');
    expect(e.retryAfterS).toBe(60);
  });

  it('has no retry time when the server sent none', async () => {
    const e = await caught(request(answer(401, { error: 'wrong-password', message: 'Wrong password.' }), '/session'));
    expect(e.retryAfterS).toBeNull();
  });
});

describe('request: 401 → /login', () => {
  beforeEach(() => {
    toLogin.mockClear();
    vi.stubGlobal('window', {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends the browser to /login on login-required and session-expired, and still throws for the caller', async () => {
    for (const code of ['login-required', 'session-expired']) {
      const e = await caught(request(answer(401, { error: code, message: 'Log in to a profile first.' }), '/flights'));
      expect(e.code).toBe(code);
    }
    expect(toLogin).toHaveBeenCalledTimes(2);
  });

  it('leaves a wrong password, a lockout and other errors to the page', async () => {
    await caught(request(answer(401, { error: 'wrong-password', message: 'Wrong password.' }), '/session'));
    await caught(request(answer(423, { error: 'locked', message: 'Locked.' }), '/session'));
    await caught(request(answer(404, { error: 'not-found', message: 'No flight.' }), '/flights/9'));
    expect(toLogin).not.toHaveBeenCalled();
  });

  it('does nothing outside a browser', async () => {
    vi.unstubAllGlobals();
    await caught(request(answer(401, { error: 'login-required', message: 'Log in.' }), '/flights'));
    expect(toLogin).not.toHaveBeenCalled();
  });
});
