import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Shapes shared by every resource of the HTTP API: the error body, id params, nullable helpers.
 */

/** Body of every 4xx/5xx answer. `error` is a stable machine code, `message` is for the pilot. */
export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'Stable machine-readable code, e.g. "not-found", "invalid-request".', examples: ['not-found'] }),
    message: Type.String({ description: 'What went wrong and what to do about it.' }),
  },
  { title: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** `T | null`, documented as nullable. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * `number | null` spelled the OpenAPI 3.0 way (`nullable: true`) instead of anyOf. Use it inside large
 * arrays and tuples: the response serializer handles it inline (anyOf costs a validator call per
 * value, and anyOf inside tuple items is not serialized correctly by fast-json-stringify 7).
 */
export const NullableNumber = (options: { description?: string } = {}) =>
  Type.Unsafe<number | null>({ ...options, type: 'number', nullable: true });

/** Numeric id in a path (`/flights/:id`). */
export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'Numeric id.' }),
});
export type IdParams = Static<typeof IdParams>;

/**
 * A string out of a fixed set, as `{ type: 'string', enum: [...] }` (not anyOf of literals): OpenAPI shows a
 * proper enum and a wrong value gets one clear message ("must be equal to one of the allowed values").
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });

export const SortOrder = StringEnum(['asc', 'desc'], { description: 'Sort direction.' });
export type SortOrder = Static<typeof SortOrder>;

/**
 * Offset or cursor pagination. Pass `cursor` from a previous answer's `nextCursor` to get the next page
 * stably (keyset; unaffected by flights added meanwhile); `offset` is for jumping to a page number.
 */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size, 1–500.' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Rows to skip. Ignored when `cursor` is given.' })),
  cursor: Type.Optional(
    Type.String({ maxLength: 1000, description: 'Opaque `nextCursor` of the previous page; keep the same sort and filters.' }),
  ),
});
export type PageQuery = Static<typeof PageQuery>;

export const PageInfo = Type.Object({
  total: Type.Integer({ minimum: 0, description: 'Rows matching the filters, all pages together.' }),
  limit: Type.Integer({ minimum: 1 }),
  offset: Type.Integer({ minimum: 0, description: 'Offset of the first item (0 when paging by cursor from the start).' }),
  nextCursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' })),
});
export type PageInfo = Static<typeof PageInfo>;

/** Maximum page size of list endpoints. */
export const MAX_PAGE_LIMIT = 500;
export const DEFAULT_PAGE_LIMIT = 50;
