import { Type, type Static } from '@sinclair/typebox';

const ProfileName = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', description: 'Letters, digits, "-" and "_".' });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const NewPassword = Type.String({ minLength: 8, maxLength: 256, description: '8–256 characters.' });

export const ProfileSummary = Type.Object(
  {
    name: Type.String(),
    hasPassword: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'ProfileSummary' },
);
export type ProfileSummary = Static<typeof ProfileSummary>;

export const ProfileList = Type.Object(
  {
    profiles: Type.Array(ProfileSummary),
    /** The profile this browser is using, or null when it must log in first. */
    current: Type.Union([Type.String(), Type.Null()]),
    /** Creating or deleting a profile needs PROFILE_CREATION_PASS. */
    masterPasswordRequired: Type.Boolean(),
  },
  { title: 'ProfileList' },
);
export type ProfileList = Static<typeof ProfileList>;

export const SessionInfo = Type.Object(
  {
    /** The profile requests from this browser use; null when none is usable without logging in. */
    profile: Type.Union([Type.String(), Type.Null()]),
    /** Whether that profile came from a login (a session cookie) rather than the open default profile. */
    loggedIn: Type.Boolean(),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** Who the trusted reverse proxy says is signed in (TRUST_PROXY_AUTH_HEADER), or null. */
    identity: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'SessionInfo' },
);
export type SessionInfo = Static<typeof SessionInfo>;

export const LoginBody = Type.Object({ profile: ProfileName, password: Type.Optional(Password) }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const CreateProfileBody = Type.Object(
  { name: ProfileName, password: Type.Optional(NewPassword), masterPassword: Type.Optional(Password) },
  { additionalProperties: false },
);
export type CreateProfileBody = Static<typeof CreateProfileBody>;

export const DeleteProfileBody = Type.Object(
  { password: Type.Optional(Password), masterPassword: Type.Optional(Password) },
  { additionalProperties: false },
);
export type DeleteProfileBody = Static<typeof DeleteProfileBody>;

export const SetPasswordBody = Type.Object(
  { newPassword: NewPassword, currentPassword: Type.Optional(Password), masterPassword: Type.Optional(Password) },
  { additionalProperties: false },
);
export type SetPasswordBody = Static<typeof SetPasswordBody>;

export const RemovePasswordBody = Type.Object({ currentPassword: Type.Optional(Password) }, { additionalProperties: false });
export type RemovePasswordBody = Static<typeof RemovePasswordBody>;

export const ProfileNameParams = Type.Object({ name: ProfileName });
export type ProfileNameParams = Static<typeof ProfileNameParams>;
