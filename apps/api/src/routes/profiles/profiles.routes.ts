import type { FastifyPluginAsyncTypeBox } from '../flights/type-provider.js';
import {
  CreateProfileBody,
  DeleteProfileBody,
  ErrorResponse,
  LoginBody,
  ProfileList,
  ProfileNameParams,
  ProfileSummary,
  RemovePasswordBody,
  SessionInfo,
  SetPasswordBody,
} from '@dronelog/contracts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../../profiles/session-cookie.js';

const tags = ['profiles'];
const authErrors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse };

/** Profiles and sessions: thin handlers over ProfileService and SessionService. Password routes are rate-limited. */
const profileRoutes: FastifyPluginAsyncTypeBox = async (fastify) => {
  const profiles = fastify.profiles;
  const limited = { onRequest: fastify.rateLimits.auth };

  fastify.get(
    '/profiles',
    { schema: { tags, summary: 'Profile names (and whether each has a password), the current one, and if a master password is needed', response: { 200: ProfileList } } },
    async (request) => ({
      profiles: await profiles.list(),
      current: await fastify.currentProfile(request),
      masterPasswordRequired: profiles.masterPasswordRequired,
    }),
  );

  fastify.post(
    '/profiles',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Create a profile (needs the master password when PROFILE_CREATION_PASS is set)',
        body: CreateProfileBody,
        response: { 201: ProfileSummary, ...authErrors, 409: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await profiles.create(request.body)),
  );

  fastify.delete(
    '/profiles/:name',
    {
      ...limited,
      schema: {
        tags,
        summary: "Delete a profile and all its flights (needs its password and, when set, the master password)",
        params: ProfileNameParams,
        body: DeleteProfileBody,
        response: { 204: { type: 'null' }, ...authErrors, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      await profiles.delete(request.params.name, request.body ?? {});
      if (request.session?.profile.toLowerCase() === request.params.name.toLowerCase()) clearSessionCookie(request, reply);
      return reply.status(204).send();
    },
  );

  fastify.put(
    '/profiles/:name/password',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Set or change the password of the profile you are logged into (other sessions of it end)',
        params: ProfileNameParams,
        body: SetPasswordBody,
        response: { 204: { type: 'null' }, ...authErrors },
      },
    },
    async (request, reply) => {
      await profiles.setPassword(request.params.name, request.session, request.body);
      return reply.status(204).send();
    },
  );

  fastify.delete(
    '/profiles/:name/password',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Remove the password of the profile you are logged into (needs the current password)',
        params: ProfileNameParams,
        body: RemovePasswordBody,
        response: { 204: { type: 'null' }, ...authErrors },
      },
    },
    async (request, reply) => {
      await profiles.removePassword(request.params.name, request.session, request.body ?? {});
      return reply.status(204).send();
    },
  );

  fastify.get(
    '/session',
    { schema: { tags, summary: 'Which profile this browser uses, and who the proxy says is signed in', response: { 200: SessionInfo } } },
    async (request) => ({
      profile: await fastify.currentProfile(request),
      loggedIn: request.session !== null,
      expiresAt: request.session?.expiresAt.toISOString() ?? null,
      identity: request.identity,
    }),
  );

  fastify.post(
    '/session',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Log in to (or switch to) a profile: sets an HttpOnly, SameSite=Strict session cookie',
        body: LoginBody,
        response: { 200: SessionInfo, ...authErrors },
      },
    },
    async (request, reply) => {
      const old = readSessionCookie(request);
      const { profile, token, expiresAt } = await profiles.login(request.body.profile, request.body.password, request.headers['user-agent'] ?? null);
      // Switching ends the previous session instead of leaving it valid in the background.
      if (old) await fastify.sessions.revoke(old);
      setSessionCookie(request, reply, token, fastify.config.auth.sessionTtlMs);
      return { profile: profile.name, loggedIn: true, expiresAt: expiresAt.toISOString(), identity: request.identity };
    },
  );

  fastify.delete(
    '/session',
    { schema: { tags, summary: 'Log out: ends the session and clears the cookie', response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      const token = readSessionCookie(request);
      if (token) await fastify.sessions.revoke(token);
      clearSessionCookie(request, reply);
      return reply.status(204).send();
    },
  );
};

export default profileRoutes;
